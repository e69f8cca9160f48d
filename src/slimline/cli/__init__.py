"""Command-line interface: thin commands that parse options, call a use-case and render."""
