"""impactkit: social return (bouwblokkenmethode) and Impactpad impact measurement.

The package is a library first. Imports run one way: ``cli`` (the commands) calls the
orchestration of each job (``engine`` for check, ``batch`` for score, ``monitor``, ``assess``),
which calls the ``rules`` (obligation, valuation, explanations), which work on the ``model``
(menus, tenders, facts). ``menus`` holds the shipped menus; ``io`` reads and writes files
(YAML, spreadsheets, CSV, JSON, workbooks) and is never imported by the rules.
"""

__version__ = "0.1.0"
