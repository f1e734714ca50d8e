"""Reports of results: the JSON document and workbook of check, the files of score.

Above the orchestration (engine, batch) and below the commands: reports read results, the
results never import reports. File formats and safe writing come from io.
"""
