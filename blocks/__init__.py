"""Shipped menus of building blocks (bouwblokken), one YAML file per menu version.

This folder is installed as the package ``impactkit.blocks`` and read through
``importlib.resources``; it holds data only.
"""
