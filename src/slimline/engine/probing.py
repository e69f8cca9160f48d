"""Probing a container: start an image, check it over HTTP or with a command, collect its
logs, remove it. :meth:`slimline.engine.Engine.run_probe` is the entry point."""

from __future__ import annotations

import http.client
import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import docker.errors

from slimline.dockerapi import ENGINE_ERRORS, short_error
from slimline.engine.probe import ProbeConfig
from slimline.errors import EngineError

#: Label put on every container slimline starts, to find leftovers.
CONTAINER_LABEL = "org.slimline.probe"
#: Largest HTTP body the probe reads.
MAX_BODY_BYTES = 1 << 20

LogCallback = Callable[[str], None]


@dataclass(frozen=True)
class ProbeResult:
    """The outcome of probing one container."""

    passed: bool
    kind: str
    detail: str
    attempts: int
    duration_s: float
    container_logs: str
    host_port: int | None = None
    status: int | None = None
    body: str | None = None
    exit_code: int | None = None
    #: The container that ran (already removed when the result is returned).
    container_id: str | None = None


def run_container_probe(
    client: Any, image: str, probe: ProbeConfig, *, on_log: LogCallback | None = None
) -> ProbeResult:
    """Start ``image``, check it with ``probe``, collect its logs, remove it.

    HTTP probes publish the probe's port on 127.0.0.1 (a host port the engine picks) and
    retry until the expected answer comes or the timeout passes; command probes run
    ``probe.command`` instead of the image's CMD and check its exit code and output. The
    container is removed whatever happens.
    """
    kwargs: dict[str, Any] = {
        "detach": True,
        "environment": dict(probe.env),
        "labels": {CONTAINER_LABEL: "true"},
    }
    if probe.kind == "http":
        kwargs["ports"] = {f"{probe.port}/tcp": ("127.0.0.1", None)}
    else:
        assert probe.command is not None
        kwargs["command"] = list(probe.command)
    started = time.monotonic()
    container: Any = None
    try:
        try:
            container = client.containers.create(image, **kwargs)
            container.start()
        except ENGINE_ERRORS as exc:
            raise EngineError(f"cannot start a container of {image!r}: {short_error(exc)}") from exc
        if probe.kind == "http":
            result = _probe_http(container, probe, started)
        else:
            result = _probe_command(container, probe, started)
        result = replace(result, container_id=str(container.id))
        if on_log is not None:
            for line in result.container_logs.splitlines():
                on_log(line)
        return result
    finally:
        if container is not None:
            try:
                container.remove(force=True)
            except docker.errors.NotFound:
                pass
            except ENGINE_ERRORS as exc:
                raise EngineError(
                    f"cannot remove container {container.id[:12]}: {short_error(exc)}"
                ) from exc


def _logs(container: Any) -> str:
    try:
        raw = container.logs(stdout=True, stderr=True, tail=200)
    except ENGINE_ERRORS:
        return ""
    return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)


def _published_port(container: Any, port: int) -> int | None:
    ports = container.attrs.get("NetworkSettings", {}).get("Ports") or {}
    for binding in ports.get(f"{port}/tcp") or []:
        host_ip = binding.get("HostIp", "")
        host_port = binding.get("HostPort", "")
        if host_port and ipaddress.ip_address(host_ip or "0.0.0.0").is_loopback:
            return int(host_port)
    return None


def _probe_http(container: Any, probe: ProbeConfig, started: float) -> ProbeResult:
    assert probe.port is not None
    deadline = started + probe.timeout
    attempts = 0
    host_port: int | None = None
    last = "no answer yet"
    status: int | None = None
    body: str | None = None
    while True:
        container.reload()
        state = container.attrs.get("State", {})
        if not state.get("Running", False):
            code = state.get("ExitCode")
            return ProbeResult(
                passed=False,
                kind="http",
                detail=f"the container exited (code {code}) before the probe passed; "
                f"last observation: {last}",
                attempts=attempts,
                duration_s=time.monotonic() - started,
                container_logs=_logs(container),
                host_port=host_port,
                status=status,
                body=body,
                exit_code=code,
            )
        if host_port is None:
            host_port = _published_port(container, probe.port)
        if host_port is not None:
            attempts += 1
            remaining = max(0.5, min(5.0, deadline - time.monotonic()))
            try:
                status, body = _http_get("127.0.0.1", host_port, probe.path, remaining)
            except (OSError, http.client.HTTPException) as exc:
                last = f"GET {probe.path}: {short_error(exc)}"
            else:
                ok = status == probe.status and (
                    probe.body_contains is None or probe.body_contains in body
                )
                if ok:
                    return ProbeResult(
                        passed=True,
                        kind="http",
                        detail=f"GET {probe.path} -> {status}"
                        + (
                            f", body contains {probe.body_contains!r}"
                            if probe.body_contains is not None
                            else ""
                        ),
                        attempts=attempts,
                        duration_s=time.monotonic() - started,
                        container_logs=_logs(container),
                        host_port=host_port,
                        status=status,
                        body=body[:2000],
                    )
                last = f"GET {probe.path} -> {status}, body {body[:200]!r}"
        if time.monotonic() >= deadline:
            return ProbeResult(
                passed=False,
                kind="http",
                detail=f"no expected answer within {probe.timeout:g} s "
                f"({probe.describe()}); last observation: {last}",
                attempts=attempts,
                duration_s=time.monotonic() - started,
                container_logs=_logs(container),
                host_port=host_port,
                status=status,
                body=None if body is None else body[:2000],
            )
        time.sleep(0.25)


def _probe_command(container: Any, probe: ProbeConfig, started: float) -> ProbeResult:
    try:
        outcome = container.wait(timeout=probe.timeout)
    except ENGINE_ERRORS:
        return ProbeResult(
            passed=False,
            kind="command",
            detail=f"the command did not exit within {probe.timeout:g} s",
            attempts=1,
            duration_s=time.monotonic() - started,
            container_logs=_logs(container),
        )
    code = int(outcome.get("StatusCode", -1))
    output = _logs(container)
    problems = []
    if code != probe.exit_code:
        problems.append(f"exit code {code}, expected {probe.exit_code}")
    if probe.output_contains is not None and probe.output_contains not in output:
        problems.append(f"output does not contain {probe.output_contains!r}")
    detail = (
        "; ".join(problems)
        if problems
        else (
            f"exit code {code}"
            + (f", output contains {probe.output_contains!r}" if probe.output_contains else "")
        )
    )
    return ProbeResult(
        passed=not problems,
        kind="command",
        detail=detail,
        attempts=1,
        duration_s=time.monotonic() - started,
        container_logs=output,
        exit_code=code,
    )


def _http_get(host: str, port: int, path: str, timeout: float) -> tuple[int, str]:
    if not ipaddress.ip_address(host).is_loopback:
        raise EngineError(f"refusing to probe {host}: probes only go to loopback")
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"User-Agent": "slimline-probe"})
        response = connection.getresponse()
        data = response.read(MAX_BODY_BYTES)
        return response.status, data.decode("utf-8", errors="replace")
    finally:
        connection.close()
