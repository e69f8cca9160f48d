"""Registry credentials from the Docker client's config (``~/.docker/config.json``).

Looked up in the order Docker uses: a per-registry ``credHelpers`` entry, the
global ``credsStore``, then the ``auths`` map (base64 ``user:password`` in
``auth``, or separate ``username``/``password``). ``DOCKER_CONFIG`` names another
config directory.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_HUB_KEYS = ("https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io")


@dataclass(frozen=True)
class Credentials:
    """A user name and secret for one registry."""

    username: str
    password: str

    def basic(self) -> str:
        """The value of an ``Authorization: Basic`` header."""
        raw = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")


def config_path() -> Path:
    directory = os.environ.get("DOCKER_CONFIG")
    base = Path(directory) if directory else Path.home() / ".docker"
    return base / "config.json"


def _normalise(key: str) -> str:
    key = key.strip()
    for scheme in ("https://", "http://"):
        if key.startswith(scheme):
            key = key[len(scheme):]
    key = key.split("/", 1)[0]
    return key


def _keys_for(registry: str) -> tuple[str, ...]:
    if registry in ("docker.io", "registry-1.docker.io", "index.docker.io"):
        return tuple(_normalise(k) for k in _HUB_KEYS)
    return (registry,)


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The Docker client config, or ``{}`` when there is none or it is unreadable."""
    path = path or config_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _from_helper(helper: str, registry: str) -> Credentials | None:
    program = shutil.which(f"docker-credential-{helper}")
    if program is None:
        return None
    for server in (registry, f"https://{registry}"):
        try:
            proc = subprocess.run(
                [program, "get"], input=server.encode(), capture_output=True, timeout=20,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if proc.returncode == 0:
            try:
                obj = json.loads(proc.stdout)
            except ValueError:
                return None
            if not isinstance(obj, dict):
                return None
            secret = obj.get("Secret")
            if isinstance(secret, str) and secret:
                return Credentials(str(obj.get("Username", "")), secret)
    return None


def lookup(registry: str, config: dict[str, Any] | None = None) -> Credentials | None:
    """Credentials for ``registry`` (``host[:port]``, or ``docker.io``), if configured."""
    cfg = load_config() if config is None else config
    keys = _keys_for(registry)
    helpers = cfg.get("credHelpers")
    if isinstance(helpers, dict):
        for raw_key, helper in helpers.items():
            if _normalise(str(raw_key)) in keys and isinstance(helper, str):
                found = _from_helper(helper, registry)
                if found is not None:
                    return found
    auths = cfg.get("auths")
    if isinstance(auths, dict):
        for raw_key, entry in auths.items():
            if _normalise(str(raw_key)) not in keys or not isinstance(entry, dict):
                continue
            encoded = entry.get("auth")
            if isinstance(encoded, str) and encoded:
                try:
                    decoded = base64.b64decode(encoded, validate=False).decode("utf-8")
                except (binascii.Error, UnicodeDecodeError):
                    continue
                user, sep, password = decoded.partition(":")
                if sep:
                    return Credentials(user, password)
            name, secret = entry.get("username"), entry.get("password")
            if isinstance(name, str) and isinstance(secret, str) and secret:
                return Credentials(name, secret)
    store = cfg.get("credsStore")
    if isinstance(store, str) and store:
        return _from_helper(store, registry)
    return None
