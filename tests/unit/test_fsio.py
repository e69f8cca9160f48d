"""slimline.fsio: reading only regular files within limits, atomic writes that keep links
and modes, backups that never replace one another."""

from __future__ import annotations

import errno
import io
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from slimline import fsio
from slimline.errors import SlimlineError

#: A regression here would hang (a blocking read of a FIFO) or run away: fail instead.
pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def umask022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# -- reading -----------------------------------------------------------------------------------


def test_reads_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    assert fsio.read_bytes(path, limit=3) == b"abc"


def test_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(SlimlineError, match=r"it is a FIFO \(named pipe\), not a regular file"):
        fsio.read_bytes(fifo, limit=10, what="config")


def test_refuses_a_directory_and_names_the_role(tmp_path: Path) -> None:
    with pytest.raises(SlimlineError, match="cannot read CI config: it is a directory") as err:
        fsio.read_bytes(tmp_path, limit=10, what="CI config")
    assert err.value.path == str(tmp_path)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 2048)
    with pytest.raises(SlimlineError, match="config is larger than the 1 KiB limit"):
        fsio.read_bytes(path, limit=1024, what="config")
    assert len(fsio.read_bytes(path, limit=2048)) == 2048


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    path = tmp_path / "f"
    path.write_bytes(b"x")
    path.chmod(0)
    with pytest.raises(SlimlineError, match="cannot read file: Permission denied"):
        fsio.read_bytes(path, limit=10)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / ".slimline.toml"
    path.write_bytes(b'select = ["SL1"]\n\nignore = ["\xff"]\n')
    with pytest.raises(SlimlineError) as err:
        fsio.read_text(path, limit=100, what="config")
    assert (err.value.message, err.value.line) == ("config is not valid UTF-8 (byte 0xff)", 3)


def test_stdin_is_read_within_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stdin:
        buffer = io.BytesIO(b"\0" * 5000)

    monkeypatch.setattr(sys, "stdin", Stdin)
    with pytest.raises(SlimlineError, match="larger than the 4 KiB limit") as err:
        fsio.read_stdin(limit=4096)
    assert err.value.path == "<stdin>"


# -- writing -----------------------------------------------------------------------------------


def test_new_file_honours_the_umask(tmp_path: Path, umask022: None) -> None:
    fsio.write_atomic(tmp_path / "new", "x")
    assert _mode(tmp_path / "new") == 0o644
    os.umask(0o077)
    fsio.write_atomic(tmp_path / "private", "x")
    assert _mode(tmp_path / "private") == 0o600


def test_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("old")
    path.chmod(0o751)
    fsio.write_atomic(path, b"new")
    assert path.read_bytes() == b"new" and _mode(path) == 0o751
    assert _leftovers(tmp_path) == []


def test_symlink_is_written_through(tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "Dockerfile"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "Dockerfile"
    link.symlink_to(Path("real") / "Dockerfile")
    fsio.write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "Dockerfile")
    assert target.read_text() == "new" and _mode(target) == 0o640
    assert _leftovers(tmp_path) == [] and _leftovers(real_dir) == []


def test_write_error_leaves_the_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("precious")

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(SlimlineError) as err:
        fsio.write_atomic(path, "new")
    assert err.value.message == "cannot write: No space left on device (the file was left as it was)"
    assert err.value.path == str(path)
    monkeypatch.undo()
    assert path.read_text() == "precious" and _leftovers(tmp_path) == []


def test_cannot_write_over_a_directory_or_fifo(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    with pytest.raises(SlimlineError, match="it is a directory"):
        fsio.write_atomic(tmp_path / "d", "x")
    os.mkfifo(tmp_path / "p")
    with pytest.raises(SlimlineError, match="FIFO"):
        fsio.write_atomic(tmp_path / "p", "x")


def test_read_only_directory(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes everywhere")
    path = tmp_path / "f"
    path.write_text("old")
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(SlimlineError, match="cannot write: Permission denied"):
            fsio.write_atomic(path, "new")
    finally:
        tmp_path.chmod(0o755)
    assert path.read_text() == "old"


# -- backups -----------------------------------------------------------------------------------


def test_backups_are_numbered_and_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("v0")
    path.chmod(0o640)
    assert fsio.backup(path) == tmp_path / "Dockerfile.orig"
    path.write_text("v1")
    assert fsio.backup(path) == tmp_path / "Dockerfile.orig.1"
    path.write_text("v2")
    assert fsio.backup(path) == tmp_path / "Dockerfile.orig.2"
    assert [(tmp_path / n).read_text() for n in ("Dockerfile.orig", "Dockerfile.orig.1", "Dockerfile.orig.2")] == ["v0", "v1", "v2"]
    assert _mode(tmp_path / "Dockerfile.orig.2") == 0o640


def test_same_content_as_the_newest_backup_is_not_copied_again(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("v0")
    first = fsio.backup(path)
    assert fsio.backup(path) == first
    assert fsio.backup_names(path) == [first]


def test_a_symlink_in_the_way_is_not_followed(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("v0")
    victim = tmp_path / "victim"
    (tmp_path / "Dockerfile.orig").symlink_to(victim)
    assert fsio.backup(path) == tmp_path / "Dockerfile.orig.1"
    assert not victim.exists()


def test_rewrite_refuses_a_file_changed_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("edited by the user")
    with pytest.raises(SlimlineError, match="changed on disk"):
        fsio.rewrite(path, b"fixed", expected=b"what we parsed")
    assert path.read_text() == "edited by the user"
    assert fsio.backup_names(path) == []
    kept = fsio.rewrite(path, b"fixed", expected=b"edited by the user")
    assert kept is not None and kept.read_text() == "edited by the user"
    assert path.read_text() == "fixed"
