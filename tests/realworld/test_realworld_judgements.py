"""The hand judgements of the real-world corpus still hold (tests/realworld/repos/*.toml).

For every repo file whose tree is extracted ($SLIMLINE_REALWORLD_DIR, default
/work/realworld/corpus): each of its Dockerfiles is linted as `slimline lint --format json
PATH` from the tree's root, and every finding judged right must still be reported, every
finding judged wrong must not be, and every finding of a judged rule (SL1xx, SL2xx, SL3xx)
must be judged. The trees come from fetched mirrors, which CI does not have: without them
the test skips and says how to get them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from realworld_tool import REPOS, load_tool

REPO_FILES = sorted(REPOS.glob("*.toml"))


@pytest.mark.parametrize("source", REPO_FILES, ids=[p.stem for p in REPO_FILES])
def test_judgements_hold(source: Path) -> None:
    tool = load_tool()
    entry = tool.load_repo(source)
    if not tool.is_extracted(entry):
        pytest.skip(
            f"{entry.repo} at {entry.commit[:12]} is not extracted under {tool.corpus_dir()}: "
            f"fetch github:{entry.repo}, then run "
            f"`python scripts/realworld_corpus.py extract {entry.repo}`"
        )
    check = tool.check_repo(entry)
    assert not check.problems, "\n".join(check.problems)
