"""Registers every sub-command on the group (imports are cheap: commands load lazily)."""

from slimline.cli import lint, rules  # noqa: F401
from slimline.cli import analyze  # noqa: F401,E402
