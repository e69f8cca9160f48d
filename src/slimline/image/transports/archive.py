"""The archive transports: ``docker-archive:PATH[:REF]``, ``oci-archive:PATH[:REF]``, and a
bare path to an archive file (read as whichever of the two it holds).

A plain tar is indexed and read at random (see :func:`slimline.image.archive.open_archive`);
a gzip- or zstd-compressed one in one forward pass, and again from its start when
file contents are wanted later (:meth:`ArchiveSource.open_stream`).

``PATH`` may itself contain ``:`` (``docker-archive:/tmp/a:b.tar``): see
:func:`slimline.image.transports.split_path_ref`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from slimline.errors import ImageError
from slimline.image.archive import is_plain_tar, open_archive, open_compressed_archive
from slimline.image.model import Image, ImageSource
from slimline.image.reference import ImageReference
from slimline.image.streams import Readable
from slimline.image.transports import OpenOptions, Transport, split_path_ref

DOCKER_NAME = "docker-archive"
OCI_NAME = "oci-archive"


class ArchiveSource(ImageSource):
    """An image read from an archive file."""

    def __init__(self, transport: str, path: str) -> None:
        self.transport = transport
        self.path = path

    @contextmanager
    def open_stream(self) -> Iterator[Readable]:
        with Path(self.path).open("rb") as fh:
            yield fh


class ArchiveTransport(Transport):
    """An archive file; ``name`` None reads a bare path (the label follows the content)."""

    def __init__(self, name: str | None, *, oci_only: bool) -> None:
        self.name = name or "archive"
        self._fixed = name
        self._oci_only = oci_only

    def parse(self, rest: str, text: str) -> ImageReference:
        if not rest:
            raise ImageError(f"{text!r}: missing path")
        if self._fixed is None:
            return ImageReference(text, self, path=rest)
        path, ref = split_path_ref(rest, Path.is_file)
        return ImageReference(text, self, path=path, ref=ref)

    def _source(self, path: str, oci: bool) -> ImageSource:
        if self._fixed is not None and not (self._oci_only and not oci):
            return ArchiveSource(self._fixed, path)
        return ArchiveSource(OCI_NAME if oci else DOCKER_NAME, path)

    def open(self, ref: ImageReference, options: OpenOptions) -> Image:
        path = ref.path
        assert path is not None
        what = ref.text if self._fixed is None else f"{self._fixed}:{path}"
        if not Path(path).is_file():
            raise ImageError(f"{what}: no such file")
        try:
            plain = is_plain_tar(path)
        except OSError as exc:
            raise ImageError(f"{what}: cannot read: {exc.strerror}") from None

        def source(oci: bool) -> ImageSource:
            return self._source(path, oci)

        if plain:
            return open_archive(path, ref.ref, options.platform, ref.text, what=what,
                                oci_only=self._oci_only, source=source)
        return open_compressed_archive(path, ref.ref, options.platform, ref.text, what=what,
                                       oci_only=self._oci_only, source=source,
                                       verify_all=options.verify_all,
                                       progress=options.progress)


DOCKER_ARCHIVE = ArchiveTransport(DOCKER_NAME, oci_only=False)
OCI_ARCHIVE = ArchiveTransport(OCI_NAME, oci_only=True)
#: A bare path to an archive file (chosen by the ``auto`` transport).
ANY_ARCHIVE = ArchiveTransport(None, oci_only=False)
