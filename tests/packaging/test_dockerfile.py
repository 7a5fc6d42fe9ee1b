"""deploy/Dockerfile and .dockerignore: hadolint clean, a base pinned by digest, hash-checked
installs, non-root, nothing written outside the data volume, a small context."""

from __future__ import annotations

import re

from packaging_support import ROOT, TOOLS, docker_context, ignore_rules, ignored, run

DOCKERFILE = ROOT / "deploy" / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (op, _) in enumerate(steps) if op == "FROM")
    return steps[last_from:]


def test_hadolint_is_clean() -> None:
    result = run(TOOLS / "hadolint", DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_stage_starts_from_the_base_pinned_by_digest() -> None:
    steps = instructions()
    (base,) = [args for op, args in steps if op == "ARG" and args.startswith("PYTHON_IMAGE=")]
    assert re.fullmatch(r"PYTHON_IMAGE=python:3\.11-slim@sha256:[0-9a-f]{64}", base), base
    froms = [args.split()[0] for op, args in steps if op == "FROM"]
    assert len(froms) >= 2 and set(froms) == {"${PYTHON_IMAGE}"}


def test_installs_are_hash_checked_and_leave_out_the_sandbox() -> None:
    runs = " ".join(args for op, args in instructions() if op == "RUN")
    installs = re.findall(r"pip install [^&]*", runs)
    assert installs
    for command in installs:
        assert "--require-hashes" in command or "--no-deps" in command, command
    assert "--no-build-isolation" in runs  # the backend of requirements-build.lock, no other
    assert "[sandbox]" not in runs and "[dev]" not in runs and "nats" not in runs


def test_final_stage_runs_as_10001_and_writes_only_the_data_volume() -> None:
    stage = final_stage()
    env = " ".join(args for op, args in stage if op == "ENV")
    assert "PYTHONDONTWRITEBYTECODE=1" in env
    data_dir = re.search(r"DESKBRIDGE_DATA_DIR=(\S+)", env)
    assert data_dir, env
    assert ("VOLUME", f'["{data_dir[1]}"]') in stage
    assert ("USER", "10001:10001") in stage
    copies = [args for op, args in stage if op == "COPY"]
    assert copies == ["--from=build /opt/deskbridge /opt/deskbridge"]


def test_context_is_small_and_holds_what_the_build_copies() -> None:
    files = docker_context()
    size = sum((ROOT / f).stat().st_size for f in files)
    assert size < 5_000_000, size
    for absent in (
        ".venv/",
        ".git/",
        "tests/",
        "benchmarks/",
        "deploy/",
        "services/deskbridge/sandbox/",
    ):
        assert not [f for f in files if f.startswith(absent)], absent
    assert not [f for f in files if "__pycache__" in f]
    sources = [
        source
        for op, args in instructions()
        if op == "COPY" and not args.startswith("--from")
        for source in args.split()[:-1]
    ]
    assert "services" in sources
    for source in sources:
        assert source in files or any(f.startswith(f"{source}/") for f in files), source


def test_the_dockerignore_matcher_follows_docker() -> None:
    rules = ignore_rules("*\n!gen/\n**/__pycache__\n!keep/**/x.py\n")
    assert ignored(rules, ".venv/bin/python")
    assert not ignored(rules, "gen/deskbridge/v1/tickets_pb2.py")
    assert ignored(rules, "gen/deskbridge/__pycache__/x.pyc")
    assert not ignored(rules, "keep/deep/er/x.py") and not ignored(rules, "keep/x.py")
    assert ignored(rules, "keep/deep/y.py")
    rules = ignore_rules("/srv/a?c/\n*.md\n!README.md\n")
    assert ignored(rules, "srv/abc") and ignored(rules, "srv/abc/d")
    assert not ignored(rules, "srv/abbc") and not ignored(rules, "x/srv/abc")
    assert ignored(rules, "CHANGES.md") and not ignored(rules, "docs/CHANGES.md")
    assert not ignored(rules, "README.md")
