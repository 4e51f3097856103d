"""The `qcheck` command: a thin typer door over the library (the only importer of typer)."""
