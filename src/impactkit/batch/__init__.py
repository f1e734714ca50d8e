"""Batch scoring of many tenders and bids from spreadsheets (`impactkit score`).

Works on columns (pandas/numpy) and is imported only by the commands that need it, so that
`impactkit --help` and `impactkit check` never load pandas.
"""
