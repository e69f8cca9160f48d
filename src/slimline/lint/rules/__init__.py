"""Lint rules, one module per category. Each rule's docstring is its documentation."""
