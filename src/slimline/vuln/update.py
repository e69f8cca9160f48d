"""``slimline db update``: download the OSV exports (and the Debian tracker's JSON).

OSV publishes one archive per ecosystem at
``https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip``
(https://google.github.io/osv.dev/data/#data-dumps). Each is downloaded into
``downloads/`` beside the database (to a temporary name, renamed when complete),
then all of them are imported as ``slimline db import`` would.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import quote

from slimline.errors import SlimlineError

OSV_BUCKET = "https://osv-vulnerabilities.storage.googleapis.com"
#: the ecosystems downloaded by default (OSV's names)
DEFAULT_ECOSYSTEMS = ("Debian", "Alpine", "PyPI", "npm", "Go", "crates.io")
DEBIAN_TRACKER_URL = "https://security-tracker.debian.org/tracker/data/json"
#: seconds to connect, and between two reads
CONNECT_TIMEOUT = 15.0
READ_TIMEOUT = 60.0
#: no download may be larger (the largest OSV export is a few hundred MiB)
MAX_DOWNLOAD_BYTES = 4 * 1024 * 1024 * 1024


class DownloadError(SlimlineError):
    """A download that failed: the database is left as it was."""


def osv_url(ecosystem: str) -> str:
    return f"{OSV_BUCKET}/{quote(ecosystem)}/all.zip"


def download(url: str, target: Path, *, limit: int = MAX_DOWNLOAD_BYTES,
             progress: Callable[[int], None] | None = None) -> Path:
    """Fetch ``url`` into ``target`` (atomically); DownloadError on any failure."""
    import urllib3

    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT),
        retries=urllib3.Retry(total=3, backoff_factor=1.0, status_forcelist=(502, 503, 504)),
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        response = http.request("GET", url, preload_content=False)
        try:
            if response.status != 200:
                raise DownloadError(f"{url} answered HTTP {response.status}")
            size = 0
            with os.fdopen(fd, "wb") as out:
                fd = -1
                for chunk in response.stream(1024 * 1024):
                    size += len(chunk)
                    if size > limit:
                        raise DownloadError(f"{url} is larger than {limit} bytes")
                    out.write(chunk)
                    if progress is not None:
                        progress(len(chunk))
        finally:
            response.release_conn()
        os.replace(tmp, target)
    except urllib3.exceptions.HTTPError as exc:
        raise DownloadError(f"cannot download {url}: {exc}") from None
    except OSError as exc:
        raise DownloadError(f"cannot save {url} to {target}: {exc.strerror or exc}") from None
    finally:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink()
    return target


def download_sources(directory: Path, ecosystems: Sequence[str], *, debian_tracker: bool,
                     progress: Callable[[str], None] | None = None) -> list[Path]:
    """Download the OSV exports of ``ecosystems`` (and the tracker's JSON) into ``directory``."""
    paths = []
    for ecosystem in ecosystems:
        if progress is not None:
            progress(f"downloading {osv_url(ecosystem)}")
        safe = ecosystem.replace("/", "_")
        paths.append(download(osv_url(ecosystem), directory / f"{safe}-all.zip"))
    if debian_tracker:
        if progress is not None:
            progress(f"downloading {DEBIAN_TRACKER_URL}")
        paths.append(download(DEBIAN_TRACKER_URL, directory / "debian-tracker.json"))
    return paths
