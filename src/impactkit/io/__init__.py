"""Reading and writing files: YAML, spreadsheets, CSV, JSON documents and workbooks.

The rules never import this package.
"""
