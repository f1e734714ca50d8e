"""Turning engine results into words and documents (JSON, Excel); no terminal code."""
