"""Impactpad data: themes, levels, questions and the indicator catalogue (YAML, read as package data)."""
