"""Helpers of the packaging tests: the Docker build context, fresh venvs, pip, health."""

from __future__ import annotations

import asyncio
import os
import posixpath
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent  # the dev venv's bin: hadolint, mypy, uv


@dataclass(frozen=True)
class IgnoreRule:
    """One .dockerignore line: its regex, whether it re-includes (`!`), its literal prefix."""

    regex: re.Pattern[str]
    include: bool
    prefix: str


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """Docker's pattern syntax (moby/patternmatcher): Go's filepath.Match plus `**`."""
    out, i = "^", 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                i += 1
            out += ".*" if i == len(pattern) else "(.*/)?"
            continue
        char = pattern[i]
        if char == "[":
            end = pattern.index("]", i)
            out += pattern[i : end + 1]
            i = end + 1
            continue
        out += {"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char))
        i += 1
    return re.compile(out + "$")


def ignore_rules(text: str) -> list[IgnoreRule]:
    """The rules of a .dockerignore, in order (the last one that matches a path decides)."""
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        include = line.startswith("!")
        pattern = posixpath.normpath(line.removeprefix("!").strip()).lstrip("/")
        prefix = re.split(r"[*?\[]", pattern, maxsplit=1)[0]
        rules.append(IgnoreRule(_pattern_regex(pattern), include, prefix))
    return rules


def ignored(rules: list[IgnoreRule], path: str) -> bool:
    """Whether Docker leaves `path` out of the context: a rule matches it or a parent of it."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    result = False
    for rule in rules:
        if any(rule.regex.match(candidate) for candidate in candidates):
            result = not rule.include
    return result


def docker_context(root: Path = ROOT) -> list[str]:
    """The files `docker build` sends from `root` under its .dockerignore, relative, sorted."""
    rules = ignore_rules((root / ".dockerignore").read_text())
    prefixes = [rule.prefix for rule in rules if rule.include]

    def may_hold_files(path: str) -> bool:
        inside = path + "/"
        return not ignored(rules, path) or any(
            inside.startswith(p) or p.startswith(inside) for p in prefixes
        )

    files = []
    for directory, subdirectories, names in os.walk(root):
        here = Path(directory).relative_to(root)
        paths = {name: (here / name).as_posix() for name in [*subdirectories, *names]}
        subdirectories[:] = sorted(d for d in subdirectories if may_hold_files(paths[d]))
        files.extend(paths[name] for name in names if not ignored(rules, paths[name]))
    return sorted(files)


def copy_context(destination: Path, root: Path = ROOT) -> Path:
    """Copy the Docker build context of `root` to `destination`."""
    for relative in docker_context(root):
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, target)
    return destination


def run(*args: str | Path, timeout: float = 300, **kwargs: object) -> subprocess.CompletedProcess:
    """Run a command, capture its text output; the caller asserts on the result."""
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=timeout, **kwargs
    )


def pip(python: Path, *args: str | Path) -> subprocess.CompletedProcess:
    """This environment's pip acting on the venv of `python` (the venv itself has no pip)."""
    result = run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "--disable-pip-version-check",
        *args,
    )
    assert result.returncode == 0, result.stderr
    return result


def new_venv(path: Path) -> Path:
    """A fresh venv without pip (pip comes from outside, see `pip`); returns its python."""
    result = run(sys.executable, "-m", "venv", "--without-pip", path)
    assert result.returncode == 0, result.stderr
    return path / "bin" / "python"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_serving(address: str, seconds: float, service: str = "") -> None:
    """Until gRPC health answers SERVING for `service` at `address`, at most `seconds`."""
    deadline = time.monotonic() + seconds
    async with grpc.aio.insecure_channel(address) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        request = health_pb2.HealthCheckRequest(service=service)
        while True:
            try:
                answer = await health.Check(request, timeout=1)
                if answer.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.aio.AioRpcError:
                pass
            assert time.monotonic() < deadline, f"{address} did not become SERVING"
            await asyncio.sleep(0.1)
