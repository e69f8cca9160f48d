"""The repo-file loader and writer of scripts/realworld_corpus.py: schema errors are clear."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from realworld_tool import load_repos_module, load_tool

tool = load_tool()
repos = load_repos_module()
SOURCE = Path("repos/docker-library__postgres.toml")
HEADER = """\
repo = "docker-library/postgres"
commit = "0123456789abcdef0123456789abcdef01234567"
kind = "official-image"
files = ["17/bookworm/Dockerfile", "17/alpine3.21/Dockerfile"]
"""
FINDING = """
[[finding]]
path = "17/bookworm/Dockerfile"
line = 12
rule = "SL104"
verdict = "right"
reason = "apt lists left"
"""


def parse(text: str, source: Path = SOURCE):  # type: ignore[no-untyped-def]
    return repos.parse_repo(source, text)


def test_valid_file_loads() -> None:
    fix = '\n[[fix]]\npath = "17/alpine3.21/Dockerfile"\nverdict = "keeps"\nreason = "only apk flags"\n'
    entry = parse(HEADER + FINDING + fix)
    assert entry.repo == "docker-library/postgres"
    assert entry.slug == "docker-library__postgres"
    assert entry.files == ["17/bookworm/Dockerfile", "17/alpine3.21/Dockerfile"]
    [j] = entry.findings
    assert (j.key, j.verdict, j.reason) == (
        ("17/bookworm/Dockerfile", 12, "SL104"),
        "right",
        "apt lists left",
    )
    assert entry.fix_judgements()["17/alpine3.21/Dockerfile"].verdict == "keeps"


def test_pending_verdict_loads_without_reason() -> None:
    entry = parse(HEADER + FINDING.replace('"right"', '""').replace('"apt lists left"', '""'))
    assert entry.findings[0].verdict == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("repo = ", "not valid TOML"),
        (
            HEADER.replace('kind = "official-image"', 'kind = "library"'),
            "`kind` 'library' is not one of",
        ),
        (HEADER.replace("0123456789abcdef0123456789abcdef01234567", "abc"), "`commit` must be 40"),
        (HEADER.replace('repo = "docker-library/postgres"', "repo = 3"), "`repo` must be a string"),
        (HEADER + "extra = 1\n", "unknown key(s) extra"),
        (HEADER.replace('kind = "official-image"\n', ""), "missing key(s) kind"),
        (
            HEADER.replace(
                'files = ["17/bookworm/Dockerfile", "17/alpine3.21/Dockerfile"]', "files = []"
            ),
            "`files` must be a non-empty array",
        ),
        (HEADER.replace('"17/alpine3.21/Dockerfile"', '"../x/Dockerfile"'), "must be relative"),
        (HEADER.replace('"17/alpine3.21/Dockerfile"', '"17/bookworm/Dockerfile"'), "twice"),
        (
            HEADER + FINDING.replace('"right"', '"maybe"'),
            "[[finding]] #1: `verdict` 'maybe' is not one of",
        ),
        (
            HEADER + FINDING.replace('"apt lists left"', '" "'),
            "[[finding]] #1: a `right` verdict needs",
        ),
        (HEADER + FINDING.replace("line = 12", "line = 0"), "`line` must be a positive integer"),
        (HEADER + FINDING.replace("line = 12", 'line = "12"'), "`line` must be a positive integer"),
        (HEADER + FINDING.replace('"SL104"', '"DL3008"'), "`rule` must be a code like SL104"),
        (
            HEADER
            + FINDING.replace('path = "17/bookworm/Dockerfile"', 'path = "other/Dockerfile"'),
            "path 'other/Dockerfile' is not in `files`",
        ),
        (
            HEADER + FINDING + FINDING,
            "[[finding]] #2: 17/bookworm/Dockerfile:12 SL104 is judged twice",
        ),
        (HEADER + FINDING.replace("reason =", "why ="), "unknown key(s) why"),
        (
            HEADER
            + '\n[[fix]]\npath = "17/bookworm/Dockerfile"\nverdict = "right"\nreason = "x"\n',
            "[[fix]] #1: `verdict` 'right' is not one of keeps, breaks, debatable",
        ),
        (HEADER + "finding = 3\n", "`finding` must be an array of tables"),
    ],
)
def test_schema_errors_name_file_and_problem(text: str, message: str) -> None:
    with pytest.raises(repos.CorpusError) as err:
        parse(text)
    assert str(err.value).startswith(str(SOURCE))
    assert message in str(err.value)


def test_file_name_must_match_repo() -> None:
    with pytest.raises(repos.CorpusError, match=r"must be named docker-library__postgres\.toml"):
        parse(HEADER, Path("repos/postgres.toml"))


def test_load_all_refuses_a_repo_twice(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        (tmp_path / d / "docker-library__postgres.toml").write_text(HEADER)
    with pytest.raises(repos.CorpusError, match="is also in"):
        repos.load_all([tmp_path / "a", tmp_path / "b"])


@pytest.mark.parametrize(
    "value", ["plain", 'quote " and \\ back', "tab\tnew\nline", "\x00\x1f\x7f", "é ünï 🐳"]
)
def test_toml_string_round_trips(value: str) -> None:
    assert tomllib.loads(f"v = {repos.toml_string(value)}\n")["v"] == value


def test_toml_string_refuses_undecodable_bytes() -> None:
    with pytest.raises(repos.CorpusError, match="undecodable byte"):
        repos.toml_string("a\udcffb")


def test_pending_entries_appended_are_valid(tmp_path: Path) -> None:
    source = tmp_path / "docker-library__postgres.toml"
    source.write_text(HEADER)
    finding = repos.LintFinding("17/bookworm/Dockerfile", 3, "SL301", 'final stage has no "USER"\n')
    repos.append_checked(
        source, repos.finding_text(finding) + repos.fix_text("17/alpine3.21/Dockerfile")
    )
    entry = repos.load_repo(source)
    assert [(j.key, j.verdict) for j in entry.findings] == [
        (("17/bookworm/Dockerfile", 3, "SL301"), "")
    ]
    assert [f.path for f in entry.fixes] == ["17/alpine3.21/Dockerfile"]
    assert '# final stage has no "USER"' in source.read_text()


def test_compare_reports_each_kind_of_problem() -> None:
    entry = parse(
        HEADER
        + FINDING
        + FINDING.replace("line = 12", "line = 20").replace('"right"', '"wrong"')
        + FINDING.replace("line = 12", "line = 30").replace('"right"', '"debatable"')
    )
    res = tool.FileResult(
        "17/bookworm/Dockerfile",
        [
            repos.LintFinding("17/bookworm/Dockerfile", 20, "SL104", "lists left"),
            repos.LintFinding("17/bookworm/Dockerfile", 40, "SL301", "root"),
            repos.LintFinding("17/bookworm/Dockerfile", 41, "SL401", "not a judged rule"),
        ],
    )
    problems = tool.compare(entry, [res]).problems
    assert len(problems) == 3
    assert any("SL301 is not judged" in p and "pending" in p for p in problems)
    assert any(":12 SL104 was judged right but is no longer reported" in p for p in problems)
    assert any(":20 SL104 was judged wrong but is reported" in p for p in problems)


def test_compare_fix_judgements() -> None:
    fix = '\n[[fix]]\npath = "17/alpine3.21/Dockerfile"\nverdict = "keeps"\nreason = "x"\n'
    entry = parse(HEADER + fix)
    diffs = {
        "17/bookworm/Dockerfile": "--- a\n+++ b\n@@ -1 +1 @@\n",
        "17/alpine3.21/Dockerfile": "",
    }
    problems = tool.compare(entry, [], diffs).problems
    assert any("17/bookworm/Dockerfile: `fix --unsafe` changes it but" in p for p in problems)
    assert any("no longer changes it" in p for p in problems)
