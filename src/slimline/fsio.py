"""Reading and writing the user's files without hanging, exhausting memory or losing data.

Reading (:func:`read_bytes`, :func:`read_text`, :func:`read_stdin`): only regular files
are read. A FIFO, a device, a socket or a directory is refused with a one-line error
instead of blocking forever (``/dev/zero``, a named pipe called ``Dockerfile``); the file
is opened with ``O_NONBLOCK`` and checked with ``fstat`` before any read, so even the
open cannot block. Every read has a size limit (see docs/limits.md).

Writing (:func:`write_atomic`): a temporary file in the target's directory, written,
fsynced, then renamed over the target, so a full disk or a crash leaves the old file
whole. A symlink is written through (its target changes, the link stays); an existing
file keeps its mode (and, when we may, its owner); a new file gets ``0666 & ~umask``
like any editor's. :func:`backup` copies a file to ``NAME.orig`` (then ``NAME.orig.1``,
``NAME.orig.2``...) and never replaces an existing backup.

Every failure is a :class:`~slimline.errors.SlimlineError` naming the file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from slimline.errors import SlimlineError

KIB = 1024
MIB = 1024 * KIB
#: Dockerfiles (and standard input for ``lint -``). BuildKit has no documented cap; real
#: Dockerfiles are a few KiB, the largest public ones a few hundred.
MAX_DOCKERFILE_BYTES = 1 * MIB
#: ``.dockerignore`` and ``Dockerfile.dockerignore`` files.
MAX_IGNORE_BYTES = 1 * MIB
#: ``.slimline.toml``, ``pyproject.toml``, ``.dive-ci`` and other configuration files.
MAX_CONFIG_BYTES = 1 * MIB
#: How many numbered backups (``NAME.orig.N``) may pile up before we refuse to write.
MAX_BACKUPS = 1000


def human_limit(limit: int) -> str:
    """``1048576`` -> ``1 MiB`` (limits are round numbers)."""
    if limit % MIB == 0:
        return f"{limit // MIB} MiB"
    if limit % KIB == 0:
        return f"{limit // KIB} KiB"
    return f"{limit} bytes"


def _kind(mode: int) -> str | None:
    """What a non-regular file is, for the error message (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _not_regular(path: Path, kind: str, what: str) -> SlimlineError:
    return SlimlineError(f"cannot read {what}: it is {kind}, not a regular file", path=path)


def _read_error(path: Path, exc: OSError, what: str) -> SlimlineError:
    if exc.errno == errno.ENOENT:
        return SlimlineError("no such file", path=path)
    if exc.errno in (errno.ENXIO, errno.EISDIR):
        # A socket (ENXIO) or a directory: say which.
        with contextlib.suppress(OSError):
            kind = _kind(os.stat(path).st_mode)
            if kind is not None:
                return _not_regular(path, kind, what)
    return SlimlineError(f"cannot read {what}: {exc.strerror or exc}", path=path)


def _too_large(path: Path | str, limit: int, what: str) -> SlimlineError:
    return SlimlineError(
        f"{what} is larger than the {human_limit(limit)} limit (see docs/limits.md)", path=path
    )


def read_bytes(path: str | Path, *, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    ``what`` names the file's role in error messages ("Dockerfile", "config").
    """
    p = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        raise _read_error(p, exc, what) from None
    try:
        st = os.fstat(fd)
        kind = _kind(st.st_mode)
        if kind is not None:
            raise _not_regular(p, kind, what)
        if st.st_size > limit:
            raise _too_large(p, limit, what)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return _read_limited(handle, p, limit, what)
    except OSError as exc:
        raise _read_error(p, exc, what) from None
    finally:
        os.close(fd)


def _read_limited(handle: BinaryIO, where: Path | str, limit: int, what: str) -> bytes:
    """Read to the end, but never more than ``limit`` bytes (a file may still be growing)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = handle.read(min(64 * KIB, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise _too_large(where, limit, what)


def read_stdin(*, limit: int, what: str = "input") -> bytes:
    """Standard input, at most ``limit`` bytes (``slimline lint - < /dev/zero`` stops)."""
    try:
        return _read_limited(sys.stdin.buffer, "<stdin>", limit, what)
    except OSError as exc:
        raise SlimlineError(f"cannot read {what}: {exc.strerror or exc}", path="<stdin>") from None


def decode_utf8(data: bytes, path: str | Path, what: str = "file") -> str:
    """Strict UTF-8 (a BOM is kept); an invalid byte is an error naming its line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise SlimlineError(
            f"{what} is not valid UTF-8 (byte 0x{bad})", path=path, line=line
        ) from None


def read_text(path: str | Path, *, limit: int, what: str = "file") -> str:
    """A regular file of at most ``limit`` bytes, decoded as strict UTF-8."""
    return decode_utf8(read_bytes(path, limit=limit, what=what), path, what)


#: Files read only for hints (a project's sources, go.mod...) larger than this are skipped.
MAX_HINT_BYTES = 4 * MIB


def read_hint(path: str | Path, *, limit: int = MAX_HINT_BYTES) -> str | None:
    """A file read only for hints (an entry point, a module name): its text with bad
    bytes replaced, or None when it is missing, not a regular file, too large or
    unreadable. Never blocks, never raises a SlimlineError."""
    try:
        data = read_bytes(path, limit=limit, what="file")
    except SlimlineError:
        return None
    return data.decode("utf-8", "replace")


def read_if_exists(path: str | Path, *, limit: int, what: str = "file") -> str:
    """A file's text (stray bytes kept as ``surrogateescape``), or ``""`` when nothing is
    there; anything there that is not a regular file is an error, as in read_bytes."""
    if not os.path.lexists(path):
        return ""
    return read_bytes(path, limit=limit, what=what).decode("utf-8", "surrogateescape")


# -- writing ---------------------------------------------------------------------------------


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_error(path: Path, exc: OSError) -> SlimlineError:
    kept = " (the file was left as it was)" if os.path.lexists(path) else ""
    return SlimlineError(f"cannot write: {exc.strerror or exc}{kept}", path=path)


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` atomically (str is written as UTF-8).

    A symlink is written through to its target and stays a symlink. The file keeps its
    mode (a new one gets ``0666 & ~umask``). On any error (no space left, read-only file
    system, permission denied) the old file is untouched, the temporary file is removed,
    and a :class:`SlimlineError` names the file.
    """
    shown = Path(path)
    payload = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    target = Path(os.path.realpath(shown)) if shown.is_symlink() else shown
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _write_error(shown, exc) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise SlimlineError("cannot write: it is a directory", path=shown)
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = _kind(st.st_mode)
        raise SlimlineError(f"cannot write: it is {kind}, not a regular file", path=shown)
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    directory = target.parent if str(target.parent) else Path()
    import tempfile  # only writers need it (keeps `slimline lint` start-up light)

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _write_error(shown, exc) from None
    try:
        _fill(fd, payload, mode, None if st is None else (st.st_uid, st.st_gid))
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _write_error(shown, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_directory(directory)


def _fill(fd: int, data: bytes, mode: int, owner: tuple[int, int] | None = None) -> None:
    """Write all of ``data`` to a new file, set its mode (and owner, when we may), fsync
    it, and close it."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fchmod(fd, mode)
        if owner is not None and owner != (os.geteuid(), os.getegid()):
            with contextlib.suppress(OSError):
                os.fchown(fd, *owner)
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def backup_names(path: Path) -> list[Path]:
    """``NAME.orig``, ``NAME.orig.1``... that exist now, oldest first."""
    names = [path.with_name(path.name + ".orig")]
    names += [path.with_name(f"{path.name}.orig.{n}") for n in range(1, MAX_BACKUPS + 1)]
    out: list[Path] = []
    for candidate in names:
        if not os.path.lexists(candidate):
            break
        out.append(candidate)
    return out


def backup(path: str | Path, data: bytes | None = None) -> Path:
    """Keep a copy of ``path`` (or of ``data``, its content) and return where it went.

    The copy goes to ``NAME.orig``, or when that exists to the first free
    ``NAME.orig.N``: an existing backup is never replaced (the name is created with
    ``O_EXCL``, so not even by a run at the same time). When the newest backup already
    holds exactly these bytes, it is returned and nothing is written. The copy keeps the
    file's mode.
    """
    src = Path(path)
    if data is None:
        data = read_bytes(src, limit=MAX_DOCKERFILE_BYTES, what="file to back up")
    existing = backup_names(src)
    if existing:
        with contextlib.suppress(SlimlineError):
            if read_bytes(existing[-1], limit=len(data), what="backup") == data:
                return existing[-1]
    try:
        mode = stat.S_IMODE(os.stat(src).st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    for n in range(len(existing), MAX_BACKUPS + 1):
        name = src.with_name(src.name + ".orig" + (f".{n}" if n else ""))
        try:
            # O_EXCL: the name is ours only if nobody has it, even a run at the same time.
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _backup_error(src, exc) from None
        try:
            _fill(fd, data, mode)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(name)
            raise _backup_error(src, exc) from None
        _fsync_directory(name.parent)
        return name
    raise SlimlineError(
        f"cannot keep a backup: {MAX_BACKUPS} backups exist already ({src.name}.orig.N); "
        "remove old ones first",
        path=src,
    )


def _backup_error(path: Path, exc: OSError) -> SlimlineError:
    return SlimlineError(
        f"cannot keep a backup: {exc.strerror or exc} (nothing was changed)", path=path
    )


def rewrite(
    path: str | Path, new: bytes, *, expected: bytes, keep_backup: bool = True
) -> Path | None:
    """Replace a file we read earlier (``expected``, its bytes then) with ``new``.

    The file is read again first: if it changed in the meantime, nothing is written
    (an edit made while we worked is not lost). With ``keep_backup``, the current bytes
    go to a new backup (:func:`backup`) before the atomic write; returns its path.
    """
    p = Path(path)
    current = read_bytes(p, limit=max(len(expected), MAX_DOCKERFILE_BYTES), what="file")
    if current != expected:
        raise SlimlineError(
            "the file changed on disk while slimline was working; nothing was written", path=p
        )
    kept = backup(p, current) if keep_backup else None
    write_atomic(p, new)
    return kept
