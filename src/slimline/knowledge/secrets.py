"""Variable names that hold secrets (secret files are the "secrets" category of
:mod:`slimline.context.categories`)."""

from __future__ import annotations

import itertools
import re

#: Word parts of variable names that mark a secret (split on _ and camel case).
_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "pass",
        "secret",
        "token",
        "apikey",
        "credential",
        "credentials",
        "privatekey",
        "accesskey",
        "auth",
        "pword",
    }
)
_SECRET_PAIRS = frozenset(
    {("api", "key"), ("private", "key"), ("access", "key"), ("secret", "key"), ("client", "secret")}
)
#: Parts that say the variable only points at a secret or is public.
_SAFE_WORDS = frozenset(
    {
        "file",
        "path",
        "dir",
        "url",
        "uri",
        "id",
        "name",
        "public",
        "type",
        "length",
        "host",
        "user",
        "username",
        "endpoint",
        "region",
        "method",
        "mode",
        "required",
        "enabled",
        "disabled",
        "header",
        "version",
        "gpg",
        "fingerprint",
    }
)


def _parts(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [p for p in re.split(r"[_\-.]+", spaced.lower()) if p]


def is_secret_name(name: str) -> bool:
    """``DB_PASSWORD``, ``NPM_TOKEN``, ``awsSecretAccessKey`` -> True; ``PASSWORD_FILE`` -> False."""
    parts = _parts(name)
    if not parts or any(p in _SAFE_WORDS for p in parts):
        return False
    if any(p in _SECRET_WORDS for p in parts):
        return True
    return any(pair in _SECRET_PAIRS for pair in itertools.pairwise(parts))


#: Names of public signing keys (package repositories' keys are published on purpose).
_PUBLIC_KEY_NAME = re.compile(
    r"(?:\.gpg|\.gpg\.key|\.asc|\.pub|\.pub\.key|\.pgp)$|^release\.key$|^RPM-GPG-KEY", re.IGNORECASE
)
#: Directories that only hold public keys that verify packages.
PUBLIC_KEY_DIRS = (
    "/usr/share/keyrings",
    "/etc/apt/trusted.gpg.d",
    "/etc/apt/keyrings",
    "/etc/pki/rpm-gpg",
    "/etc/apk/keys",
)


#: Names and directories of public certificates (CA bundles trust them; no key inside).
_CERTIFICATE_NAME = re.compile(r"\.(crt|cer)(\.pem)?$", re.IGNORECASE)
CERTIFICATE_DIRS = ("/usr/local/share/ca-certificates", "/etc/pki/ca-trust/source/anchors")


def is_public_key(source: str, destination: str = "") -> bool:
    """A public signing key: ``*.gpg``, ``*.gpg.key``, ``*.asc``, ``Release.key``, ``*.pub``
    (as the source or the destination file), or any file copied into a keyring directory
    (``/usr/share/keyrings``...)."""
    name = source.rstrip("/").rsplit("/", 1)[-1]
    if _PUBLIC_KEY_NAME.search(name):
        return True
    dest = destination.rstrip("/")
    if not destination.endswith("/") and _PUBLIC_KEY_NAME.search(dest.rsplit("/", 1)[-1]):
        return True  # copied to a file named as a public key (`jenkins.io.key` -> `/war/jenkins-key.pub`)
    if _CERTIFICATE_NAME.search(name) and any(
        dest == d or dest.startswith(d + "/") for d in CERTIFICATE_DIRS
    ):
        return True  # a CA certificate added to the trust store
    return any(dest == d or dest.startswith(d + "/") for d in PUBLIC_KEY_DIRS)
