"""Regenerate docs/rules/ from the rules' docstrings.

.venv/bin/python scripts/gen_docs.py          # write
.venv/bin/python scripts/gen_docs.py --check  # exit 1 when docs/rules is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from slimline.cli.rules import rule_markdown, rules_index_markdown
from slimline.lint.registry import all_rules

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def expected() -> dict[Path, str]:
    files = {DOCS / "README.md": rules_index_markdown()}
    for r in all_rules():
        files[DOCS / f"{r.code}.md"] = rule_markdown(r)
    return files


def main() -> int:
    check = "--check" in sys.argv[1:]
    files = expected()
    stale = [
        p for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text
    ]
    extra = [p for p in DOCS.glob("*.md") if p not in files]
    if check:
        for p in stale:
            print(f"stale: {p}")
        for p in extra:
            print(f"no such rule: {p}")
        return 1 if stale or extra else 0
    DOCS.mkdir(parents=True, exist_ok=True)
    for p in stale:
        p.write_text(files[p], encoding="utf-8")
    for p in extra:
        p.unlink()
    print(f"docs/rules: {len(stale)} written, {len(extra)} removed, {len(files)} in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
