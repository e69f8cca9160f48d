"""Rendering: text (rich), JSON, SARIF, GitHub annotations, Markdown, HTML."""
