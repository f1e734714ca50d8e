"""The command line: typer commands that parse, call the core and render with rich."""
