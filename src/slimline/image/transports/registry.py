"""The ``docker://`` transport: a registry speaking the OCI distribution API.

Anonymous, Basic and Bearer-token authentication (the challenge in
``WWW-Authenticate`` says which), with credentials from the Docker client config.
Indexes and manifest lists are resolved to one platform. Every document and every
layer blob is checked against its digest as it streams in; nothing is written to
disk. Registries on loopback addresses may speak plain HTTP.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import urllib3

from slimline import __version__
from slimline.errors import RegistryError, SlimlineError
from slimline.image import credentials as creds
from slimline.image import mediatypes as mt
from slimline.image.model import (
    Descriptor,
    Image,
    ImageIdentity,
    ImageSource,
    Layer,
    Platform,
    check_digest,
)
from slimline.image.reference import ImageReference
from slimline.image.resolve import MAX_DOCUMENT_SIZE, build_from_manifest, resolve_index_chain
from slimline.image.streams import Readable, verify_bytes
from slimline.image.transports import OpenOptions, Transport, timed
from slimline.reference import DOCKER_HUB, DockerReference, parse_docker_reference

_USER_AGENT = f"slimline/{__version__}"
_RETRY_STATUSES = (502, 503, 504)
_RETRIES = 2
#: Error bodies and token answers are read up to this size.
_MAX_SMALL_BODY = 1024 * 1024
_CHALLENGE_RE = re.compile(r'([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (with or without a port)."""
    name = host
    if name.startswith("["):
        name = name[1:].partition("]")[0]
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """Split ``Bearer realm="...",service="..."`` into a scheme and its parameters."""
    scheme, _, rest = header.strip().partition(" ")
    params = {}
    for match in _CHALLENGE_RE.finditer(rest):
        key = match.group(1).lower()
        value = match.group(2) if match.group(2) is not None else match.group(3)
        params[key] = value.replace('\\"', '"')
    return scheme.lower(), params


def _error_detail(body: bytes) -> str:
    try:
        obj = json.loads(body)
    except (ValueError, RecursionError):
        text = body.decode("utf-8", "replace").strip()
        return text.splitlines()[0][:200] if text else ""
    errors = obj.get("errors") if isinstance(obj, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        code = errors[0].get("code", "")
        message = errors[0].get("message", "")
        return f"{code}: {message}".strip(": ")
    return ""


class RegistryClient:
    """A minimal, thread-safe client for one repository of one registry.

    Every exchange has a deadline and a stall rule (see :mod:`.timed`); documents
    are size-checked while they stream in; 502/503/504 answers are retried twice.
    """

    def __init__(
        self,
        ref: DockerReference,
        *,
        credentials: creds.Credentials | None = None,
        pool_size: int = 8,
    ) -> None:
        self.ref = ref
        self.what = f"docker://{ref}"
        self._credentials = credentials
        self._pool = timed.pool_manager(pool_size, {"User-Agent": _USER_AGENT})
        self._scheme: str | None = None
        self._authorization: str | None = None
        self._lock = threading.Lock()

    # -- plumbing --------------------------------------------------------------------

    def close(self) -> None:
        self._pool.clear()

    def _base(self) -> str:
        if self._scheme is None:
            self._scheme = self._probe_scheme()
        return f"{self._scheme}://{self.ref.host}"

    def _probe_scheme(self) -> str:
        if not is_loopback(self.ref.host):
            return "https"
        try:
            with timed.Deadline(time.monotonic() + 15):
                resp = self._pool.request("GET", f"https://{self.ref.host}/v2/",
                                          preload_content=False, retries=False,
                                          timeout=urllib3.Timeout(connect=5, read=10))
        except urllib3.exceptions.HTTPError:
            return "http"
        timed.discard(resp)
        return "https"

    def _send(self, url: str, headers: dict[str, str], deadline: float, unreachable: str) -> Any:
        """GET ``url`` (headers only: the body is left to stream), retrying 502/503/504."""
        attempt = 0
        while True:
            try:
                with timed.Deadline(deadline):
                    resp = self._pool.request("GET", url, headers=headers,
                                              preload_content=False, decode_content=False)
            except urllib3.exceptions.HTTPError as exc:
                if time.monotonic() >= deadline:
                    raise RegistryError(f"{self.what}: {unreachable}: no answer in time") \
                        from None
                raise RegistryError(f"{self.what}: {unreachable}: "
                                    f"{timed.short_error(exc)}") from None
            if resp.status in _RETRY_STATUSES and attempt < _RETRIES \
                    and time.monotonic() + attempt + 1 < deadline:
                attempt += 1
                timed.discard(resp)
                time.sleep(0.5 * attempt)
                continue
            return resp

    def request(self, path: str, *, accept: str | None = None,
                deadline: float | None = None) -> Any:
        """GET ``/v2/<repository>/<path>``, authenticating when challenged.

        The body is left to stream; read it with :class:`timed.Body`.
        """
        deadline = deadline or timed.deadline_for()
        url = f"{self._base()}/v2/{self.ref.repository}/{path}"
        headers = {}
        if accept:
            headers["Accept"] = accept
        unreachable = f"cannot reach {self.ref.host}"
        for _ in range(2):
            auth = self._authorization
            if auth:
                headers["Authorization"] = auth
            resp = self._send(url, headers, deadline, unreachable)
            if resp.status != 401:
                return resp
            challenge = resp.headers.get("WWW-Authenticate", "")
            timed.discard(resp)
            with self._lock:
                if self._authorization == auth:
                    self._authorization = self._authenticate(challenge)
        raise RegistryError(
            f"{self.what}: authentication failed (401 Unauthorized)"
            + ("" if self._credentials else "; no credentials for "
               f"{self.ref.registry} in {creds.config_path()}")
        )

    def _authenticate(self, challenge: str) -> str:
        scheme, params = parse_challenge(challenge)
        if scheme == "basic":
            if self._credentials is None:
                raise RegistryError(
                    f"{self.what}: the registry requires a login (401 Unauthorized) and "
                    f"{creds.config_path()} has no credentials for {self.ref.registry}"
                )
            return self._credentials.basic()
        if scheme != "bearer" or "realm" not in params:
            raise RegistryError(f"{self.what}: unsupported authentication challenge "
                                f"{challenge[:80]!r}")
        query = {"scope": params.get("scope") or f"repository:{self.ref.repository}:pull"}
        if "service" in params:
            query["service"] = params["service"]
        realm = params["realm"]
        url = realm + ("&" if "?" in realm else "?") + urlencode(query)
        headers = {}
        if self._credentials is not None:
            headers["Authorization"] = self._credentials.basic()
        deadline = timed.deadline_for()
        failed = f"authentication failed: token request to {realm}"
        resp = self._send(url, headers, deadline, failed)
        data = timed.Body(resp, f"{self.what}: {failed}", deadline).all(_MAX_SMALL_BODY, "answer")
        resp.release_conn()
        if resp.status != 200:
            detail = _error_detail(data)
            raise RegistryError(f"{self.what}: {failed} answered HTTP {resp.status}"
                                + (f" ({detail})" if detail else ""))
        try:
            body = json.loads(data)
        except (ValueError, RecursionError):
            raise RegistryError(f"{self.what}: {failed}: invalid JSON in the answer") from None
        token = body.get("token") or body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise RegistryError(f"{self.what}: {failed}: no token in the answer")
        return f"Bearer {token}"

    def _fail(self, resp: Any, subject: str, deadline: float) -> RegistryError:
        try:
            body = timed.Body(resp, self.what, deadline).all(_MAX_SMALL_BODY)
        except RegistryError:
            body = b""
        resp.close()
        resp.release_conn()
        detail = _error_detail(body)
        status = resp.status
        if status == 404:
            text = f"{subject} not found (404)"
        elif status == 403:
            text = f"access to {subject} denied (403)"
        elif status == 429:
            text = f"rate limited by the registry (429) while fetching {subject}"
        elif status >= 500:
            text = f"registry error {status} while fetching {subject}"
        else:
            text = f"unexpected HTTP {status} while fetching {subject}"
        return RegistryError(f"{self.what}: {text}" + (f": {detail}" if detail else ""))

    def _document(self, path: str, subject: str, accept: str | None = None) -> tuple[bytes, Any]:
        """GET a document whole (at most MAX_DOCUMENT_SIZE bytes, checked as it streams)."""
        deadline = timed.deadline_for()
        resp = self.request(path, accept=accept, deadline=deadline)
        if resp.status != 200:
            raise self._fail(resp, subject, deadline)
        try:
            data = timed.Body(resp, self.what, deadline).all(MAX_DOCUMENT_SIZE, subject)
        except BaseException:
            timed.discard(resp)
            raise
        resp.release_conn()
        return data, resp

    # -- API -------------------------------------------------------------------------

    def manifest(self, reference: str) -> tuple[bytes, str, str]:
        """Fetch a manifest or index; return ``(bytes, media type, digest)`` (verified)."""
        data, resp = self._document(f"manifests/{reference}", f"manifest {reference}",
                                    accept=mt.MANIFEST_ACCEPT)
        media_type = resp.headers.get("Content-Type", "").split(";")[0].strip()
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if reference.startswith(("sha256:", "sha512:")):
            verify_bytes(data, reference, what=f"{self.what} (manifest)")
            digest = reference
        else:
            announced = resp.headers.get("Docker-Content-Digest")
            if announced:
                check_digest(announced, f"{self.what} (Docker-Content-Digest)")
                verify_bytes(data, announced, what=f"{self.what} (manifest)")
                digest = announced
        return data, media_type, digest

    def blob(self, desc: Descriptor, what: str) -> bytes:
        """Fetch a small blob (a config or a manifest) and verify it."""
        if desc.size > MAX_DOCUMENT_SIZE:
            raise RegistryError(f"{what}: blob too large ({desc.size} bytes)")
        data, _ = self._document(f"blobs/{desc.digest}", f"blob {desc.digest}")
        verify_bytes(data, desc.digest, what=what, size=desc.size)
        return data

    def fetch_document(self, desc: Descriptor, what: str) -> bytes:
        """Fetch a manifest/index (by digest) or a config blob, verified."""
        if desc.media_type in mt.INDEX_TYPES or desc.media_type in mt.MANIFEST_TYPES:
            data, _, _ = self.manifest(desc.digest)
            if len(data) != desc.size:
                raise RegistryError(f"{what}: size mismatch: expected {desc.size} bytes, "
                                    f"got {len(data)}")
            return data
        return self.blob(desc, what)

    @contextmanager
    def open_blob(self, digest: str, size: int | None = None) -> Iterator[Readable]:
        """Stream a blob (a layer) of about ``size`` bytes; the caller verifies it."""
        deadline = timed.deadline_for(size)
        resp = self.request(f"blobs/{digest}", deadline=deadline)
        if resp.status != 200:
            raise self._fail(resp, f"blob {digest}", deadline)
        try:
            yield timed.Body(resp, self.what, deadline)
        finally:
            resp.close()
            resp.release_conn()


class RegistrySource(ImageSource):
    """An image of a registry. ``named``: the user named the registry (``docker://``),
    so other images may be looked up there."""

    transport = "docker"

    def __init__(self, ref: DockerReference, named: bool) -> None:
        self.ref = ref
        self.named = named

    def find(self, name: str, platform: Platform | None) -> ImageIdentity | None:
        """``name`` on this image's registry (a Docker Hub name is looked for under the
        same repository path here); None for names of other registries."""
        if not self.named:
            return None
        try:
            wanted = parse_docker_reference(name).tagged()
        except SlimlineError:
            return None
        repository = wanted.repository
        if wanted.registry == DOCKER_HUB:
            repository = repository.removeprefix("library/")
        elif wanted.registry != self.ref.registry:
            return None
        candidate = DockerReference(self.ref.registry, repository, wanted.tag, wanted.digest)
        try:
            with open_registry(candidate, f"docker://{candidate}", platform=platform) as image:
                return ImageIdentity(name, image.config.diff_ids, len(image.config.history))
        except SlimlineError:
            return None


def open_registry(
    ref: DockerReference,
    reference: str,
    *,
    platform: Platform | None = None,
    credentials: creds.Credentials | None = None,
    use_config_credentials: bool = True,
    named: bool = True,
) -> Image:
    """Resolve ``ref`` on its registry to an :class:`Image` whose layers stream lazily.

    ``named`` says the user named this registry (see :class:`RegistrySource`).
    """
    if credentials is None and use_config_credentials:
        credentials = creds.lookup(ref.registry)
    client = RegistryClient(ref, credentials=credentials)
    try:
        data, media_type, digest = client.manifest(ref.ref)
        known = mt.INDEX_TYPES | mt.MANIFEST_TYPES | {mt.DOCKER_MANIFEST_V1,
                                                       mt.DOCKER_MANIFEST_V1_SIGNED}
        if media_type not in known:
            media_type = ""  # decide from the document's own mediaType / shape
        top = Descriptor(media_type, digest, len(data))
        first = {digest: data}

        def fetch(desc: Descriptor, what: str) -> bytes:
            if desc.digest in first:
                return first[desc.digest]
            return client.fetch_document(desc, what)

        def make_layer(i: int, desc: Descriptor, diff_id: str) -> Layer:
            return Layer.from_descriptor(
                i, desc, diff_id, opener=functools.partial(client.open_blob, desc.digest, desc.size)
            )

        manifest_desc, manifest = resolve_index_chain(top, fetch, platform, client.what)
        resolved = build_from_manifest(manifest_desc, manifest, fetch, make_layer, client.what)
    except BaseException:
        client.close()
        raise
    image = Image(
        reference,
        RegistrySource(ref, named),
        ref.familiar(),
        resolved.config,
        resolved.layers,
        manifest_digest=resolved.manifest.digest,
        manifest_media_type=resolved.manifest.media_type or None,
    )
    image._resources.callback(client.close)
    return image


class RegistryTransport(Transport):
    """``docker://NAME``; also a bare name that the engine does not hold (``named``
    False: the user did not name a registry, so no other image is looked up there)."""

    name = "docker"
    remote = True

    def __init__(self, *, named: bool) -> None:
        self._named = named

    def parse(self, rest: str, text: str) -> ImageReference:
        return ImageReference(text, self, docker=parse_docker_reference(rest).tagged())

    def open(self, ref: ImageReference, options: OpenOptions) -> Image:
        assert ref.docker is not None
        return open_registry(ref.docker, ref.text, platform=options.platform, named=self._named)


TRANSPORT = RegistryTransport(named=True)
#: A bare name found on no engine (chosen by the ``auto`` transport).
BY_NAME = RegistryTransport(named=False)
