"""Registers every sub-command on the group (imports are cheap: commands load lazily)."""

from slimline.cli import (  # noqa: F401
    analyze,
    compare,
    db,
    fix,
    init,
    lint,
    optimize,
    rules,
    sbom,
    scan,
)
