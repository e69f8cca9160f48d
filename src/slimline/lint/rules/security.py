"""Security rules (SL3xx): users, secrets, credentials, trusted sources."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from slimline.context.categories import category_by_name
from slimline.dockerfile.parser import arg_pairs
from slimline.dockerfile.semantics import env_pairs
from slimline.knowledge.images import (
    default_user,
    entrypoint_drops_privileges,
    parse_image_ref,
)
from slimline.knowledge.secrets import is_public_key, is_secret_name
from slimline.lint.context import RuleContext
from slimline.lint.model import Category, Finding, Severity
from slimline.lint.registry import rule
from slimline.lint.rules._util import (
    base_info,
    copy_destination,
    copy_sources,
    declared_toolchain,
    is_windows_stage,
    privilege_drop,
    root_base,
    shipped_stages,
    toolchain_role,
)

_ROOT_USERS = frozenset({"root", "0", "0:0", "root:root", "root:0", "0:root"})


@rule(
    "SL301",
    "runs-as-root",
    Severity.WARNING,
    Category.SECURITY,
    hadolint=("DL3002",),
)
def runs_as_root(ctx: RuleContext) -> Iterator[Finding]:
    """The final image runs as root.

    ## Why
    A process running as root in the container is root on any volume it mounts and
    one kernel bug away from root on the host. Create an unprivileged user (or use
    a numeric UID, as distroless' `nonroot` 65532) and switch to it with `USER` in
    the final stage. Stages that are only built from are not checked.

    Not reported (this rule fired on almost every real Dockerfile, and these were
    wrong): images whose entrypoint starts as root and drops privileges itself, on
    explicit evidence in the Dockerfile (the ENTRYPOINT/CMD runs `gosu`, `su-exec`,
    `setpriv`, `runuser`, `chroot --userspec`..., or an ENTRYPOINT is set and the
    image installs or copies in one of them, as the official postgres and redis
    images do); and Windows images (their users are not root, numeric ids mean
    nothing there). An entrypoint script name alone is not evidence. Nor is it reported
    on a base image known to set another user (`cimg/*`, `jenkins/*`, jupyter's and
    Gitpod's images, bitnami, haproxy, memcached...), in dev containers
    (devcontainer.json's `remoteUser` decides), and in images made to be built on (see
    SL101: a shell or REPL start, or none; the images built from them set the user).
    Nor are images built FROM an image published to run as its own non-root user (the Jupyter
    docker-stacks images, `grafana/k6`, Bitnami's) or FROM an official database image
    whose entrypoint drops to the service's user (postgres, mysql, mariadb, redis,
    mongo, rabbitmq) when the ENTRYPOINT is kept, and `scratch` images with no
    ENTRYPOINT or CMD (bundles and exported artifacts: nothing runs in them).

    ## Bad
    ```dockerfile
    FROM python:3.11-slim
    COPY . /app
    CMD ["python", "/app/main.py"]
    ```

    ## Good
    ```dockerfile
    FROM python:3.11-slim
    RUN useradd --system --uid 10001 app
    COPY . /app
    USER app
    CMD ["python", "/app/main.py"]
    ```
    """
    final = ctx.final_stage
    if final is None:
        return
    users = [i for i in final.instructions if i.keyword == "USER"]
    if toolchain_role(ctx) and (not users or declared_toolchain(ctx)):
        # a dev container, a CI or base image: the user is set where it is used (an
        # explicit last `USER root` is still reported where only the file's shape says so)
        return
    if users:
        last = users[-1]
        value = ctx.sem.expand(last, last.args).strip()
        if value.lower() in _ROOT_USERS:
            yield ctx.report(
                last,
                "last USER of the final stage is root",
                hint="switch to an unprivileged user last",
            )
        return
    # No USER here: inherited from a parent stage or the base image.
    if is_windows_stage(ctx, final):
        return  # Windows containers run as ContainerUser/ContainerAdministrator, not root
    if privilege_drop(ctx, final) is not None:
        return  # the entrypoint starts as root and drops to its service user itself
    state = ctx.sem.final(final)
    if state.user is not None:
        if state.user.lower() in _ROOT_USERS:
            yield ctx.report(
                final.from_instruction, "final stage inherits USER root from its parent stage"
            )
        return
    info = base_info(ctx, final)
    if info is not None and info.default_user not in (None, "root"):
        return
    if default_user(root_base(ctx, final)) != "root":
        return  # the base image sets its own user (cimg/base, jupyter's images, k6...)
    if entrypoint_drops_privileges(root_base(ctx, final)) and not any(
        i.keyword == "ENTRYPOINT" for s in shipped_stages(ctx) for i in s.instructions
    ):
        return  # `FROM postgres:16` keeps the entrypoint that runs `gosu postgres`
    if (
        info is not None
        and info.variant == "scratch"
        and not any(i.keyword in ("ENTRYPOINT", "CMD") for i in final.instructions)
    ):
        return  # a scratch image with nothing to run: an exported artifact or a bundle
    yield ctx.report(
        final.from_instruction,
        "final stage has no USER: the container runs as root",
        hint="add a non-root user (e.g. `RUN useradd -r -u 10001 app` then `USER app`, or `USER 65532` on distroless)",
    )


@rule("SL302", "secret-in-arg-env", Severity.WARNING, Category.SECURITY)
def secret_in_arg_env(ctx: RuleContext) -> Iterator[Finding]:
    """A secret-looking name is passed with ARG or ENV.

    ## Why
    ARG values end up in the image history (`docker history`) and ENV values in
    its configuration: anyone who can pull the image can read them. Pass secrets
    with BuildKit secret mounts (`RUN --mount=type=secret,id=token ...`) at build
    time and through the orchestrator at run time.

    ## Bad
    ```dockerfile
    ARG NPM_TOKEN
    ENV DATABASE_PASSWORD=hunter2
    ```

    ## Good
    ```dockerfile
    RUN --mount=type=secret,id=npm_token NPM_TOKEN="$(cat /run/secrets/npm_token)" npm ci
    ```
    """
    for inst in ctx.df.instructions:
        eff = inst.effective
        if eff.keyword == "ARG":
            names = [k for k, _ in arg_pairs(eff, ctx.df.escape)]
        elif eff.keyword == "ENV":
            names = [k for k, _ in env_pairs(eff, ctx.df.escape)]
        else:
            continue
        for name in names:
            if is_secret_name(name):
                yield ctx.report(
                    inst,
                    f"`{name}` looks like a secret and {eff.keyword} values are readable in the image",
                    hint="use a BuildKit secret mount (`RUN --mount=type=secret,...`) instead",
                )


@rule("SL303", "copies-secret-file", Severity.ERROR, Category.SECURITY)
def copies_secret_file(ctx: RuleContext) -> Iterator[Finding]:
    """COPY or ADD names a file that holds credentials (keys, .env, .npmrc, .pypirc...).

    ## Why
    A file copied into a layer stays in the image even if a later RUN deletes it.
    Private keys, `.env` files and package-registry credentials (`.npmrc`,
    `.pypirc`, `.netrc`) must not be copied: mount them as BuildKit secrets for the
    one RUN that needs them.

    ## Bad
    ```dockerfile
    COPY .npmrc /root/.npmrc
    RUN npm ci && rm /root/.npmrc
    ```

    ## Good
    ```dockerfile
    RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    ```

    Public signing keys are not secrets and are not reported: `*.gpg`, `*.gpg.key`,
    `*.asc`, `*.pub`, `Release.key`, and any file copied into a keyring directory
    (`/usr/share/keyrings`, `/etc/apt/trusted.gpg.d`, `/etc/apt/keyrings`,
    `/etc/pki/rpm-gpg`, `/etc/apk/keys`).
    """
    secrets = category_by_name("secrets")
    for inst in ctx.df.instructions:
        eff = inst.effective
        if eff.keyword not in ("COPY", "ADD") or eff.flag("from") is not None or eff.heredocs:
            continue
        words = copy_sources(inst, ctx.df.escape)
        dest = ctx.sem.expand(inst, copy_destination(inst, ctx.df.escape))
        for src in words:
            base = posixpath.basename(src.rstrip("/"))
            if is_public_key(ctx.sem.expand(inst, src), dest):
                continue  # a package repository's public signing key is no secret
            if secrets.matches_file(base) or secrets.matches_dir(base):
                yield ctx.report(
                    inst,
                    f"`{src}` looks like a credentials file: it stays in the image",
                    hint="mount it for the RUN that needs it: `RUN --mount=type=secret,id=...`",
                )


_URL_CREDENTIALS = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://([^/\s:@'\"]+):([^/\s@'\"]+)@")


@rule("SL304", "credentials-in-url", Severity.ERROR, Category.SECURITY)
def credentials_in_url(ctx: RuleContext) -> Iterator[Finding]:
    """A URL with a user name and password is written into the Dockerfile.

    ## Why
    `https://user:password@host/...` in a RUN, ADD or ENV is stored in the image
    history and in the Dockerfile's repository. Use a secret mount or a credential
    helper instead.

    ## Bad
    ```dockerfile
    RUN pip install --index-url https://deploy:s3cret@pypi.example.com/simple app
    ```

    ## Good
    ```dockerfile
    RUN --mount=type=secret,id=pipconf,target=/etc/pip.conf pip install app
    ```
    """
    for inst in ctx.df.instructions:
        texts = [inst.logical.text] + [h.content for h in inst.effective.heredocs]
        for text in texts:
            m = _URL_CREDENTIALS.search(text)
            if m is None:
                continue
            password = m.group(2)
            if password.startswith("${") or password.startswith("$"):
                what = (
                    "a URL embeds credentials from a build variable (visible in the image history)"
                )
            else:
                what = "a URL embeds a user name and password"
            yield ctx.report(inst, what, hint="pass credentials with a BuildKit secret mount")
            break


@rule("SL305", "sudo", Severity.WARNING, Category.SECURITY, hadolint=("DL3004",))
def sudo(ctx: RuleContext) -> Iterator[Finding]:
    """`sudo` in a RUN.

    ## Why
    Build steps already run as the current `USER`; `sudo` adds a setuid binary,
    unpredictable TTY and signal behaviour, and usually means the user switch is in
    the wrong place. Switch with `USER root` for the step and back afterwards, or
    use `gosu`/`su-exec` in an entrypoint.

    ## Bad
    ```dockerfile
    USER app
    RUN sudo apt-get update
    ```

    ## Good
    ```dockerfile
    USER root
    RUN apt-get update && apt-get install -y --no-install-recommends curl \\
        && rm -rf /var/lib/apt/lists/*
    USER app
    ```
    """
    for inst in ctx.df.instructions:
        script = ctx.sem.script(inst)
        if script is None:
            continue
        if any(c.program == "sudo" for c in script.commands):
            yield ctx.report(
                inst, "do not use sudo in RUN", hint="use USER to change users around the step"
            )


@rule("SL306", "untrusted-registry", Severity.ERROR, Category.SECURITY, hadolint=("DL3026",))
def untrusted_registry(ctx: RuleContext) -> Iterator[Finding]:
    """A base image comes from a registry not listed in `trusted-registries`.

    ## Why
    Organisations often allow only vetted registries. Set `trusted-registries` in
    the configuration to turn this rule on; with the setting empty it reports
    nothing.

    ## Bad
    ```dockerfile
    # trusted-registries = ["docker.io"]
    FROM quay.io/someone/image:1.0
    ```

    ## Good
    ```dockerfile
    FROM docker.io/library/debian:bookworm-slim
    ```
    """
    trusted = {r.lower() for r in ctx.config.trusted_registries}
    if not trusted:
        return
    if trusted & {"hub.docker.com", "index.docker.io", "registry-1.docker.io"}:
        trusted.add("docker.io")  # base images' registries are normalised to docker.io
    for stage in ctx.stages:
        if stage.parent is not None or stage.is_scratch:
            continue
        ref = parse_image_ref(stage.base_expanded)
        if ref is None:
            continue
        if ref.registry.lower() not in trusted:
            yield ctx.report(
                stage.from_instruction,
                f"`{stage.base_expanded}` comes from `{ref.registry}`, which is not a trusted registry",
            )
