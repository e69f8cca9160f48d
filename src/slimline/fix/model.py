"""The fix API the fix engine and the structural fixes use.

A fix belongs to its rule, so what a fix is and how it registers are defined with the
rules, in :mod:`slimline.lint.fixes`; this module is where ``slimline.fix`` code and
callers of the fix engine take them from.
"""

from __future__ import annotations

from slimline.lint.fixes import (
    Fix,
    Fixer,
    FixerFn,
    FixOptions,
    fixer,
    instruction_of,
    registered_fixers,
)

__all__ = ["Fix", "FixOptions", "Fixer", "FixerFn", "fixer", "instruction_of", "registered_fixers"]
