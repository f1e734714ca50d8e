"""impactkit: social return (bouwblokkenmethode) and Impactpad impact measurement.

The package is a library first: ``impactkit.menus`` loads menus of building blocks,
``impactkit.engine`` computes obligations and credits, ``impactkit.report`` turns results
into documents. ``impactkit.cli`` is a thin command-line layer over them.
"""

__version__ = "0.1.0"
