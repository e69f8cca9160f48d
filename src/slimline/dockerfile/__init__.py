"""The Dockerfile language: a lossless parser with spans, shell parsing, expansion, edits."""

from slimline.dockerfile.model import (
    Blank,
    Comment,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    Instruction,
    Node,
    Span,
    Stage,
)
from slimline.dockerfile.parser import parse, parse_bytes, parse_file

__all__ = [
    "Blank",
    "Comment",
    "Directive",
    "Dockerfile",
    "Flag",
    "Heredoc",
    "Instruction",
    "Node",
    "Span",
    "Stage",
    "parse",
    "parse_bytes",
    "parse_file",
]
