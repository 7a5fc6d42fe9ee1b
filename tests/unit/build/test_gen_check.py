"""`make gen-check` really detects a proto changed without regenerating gen/."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
VENV = Path(sys.executable).parent.parent


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    for part in ("protos", "gen", "scripts"):
        shutil.copytree(ROOT / part, tmp_path / part)
    return tmp_path


def _gen_check(checkout: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(checkout / "scripts" / "gen-check.sh")],
        env={**os.environ, "VENV": str(VENV)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_gen_check_passes_on_the_committed_tree(checkout):
    result = _gen_check(checkout)
    assert result.returncode == 0, result.stderr


def test_gen_check_fails_when_a_proto_changes_without_regenerating(checkout):
    proto = checkout / "protos" / "deskbridge" / "v1" / "common.proto"
    proto.write_text(proto.read_text() + "\nmessage GenCheckProbe { string added = 1; }\n")
    result = _gen_check(checkout)
    assert result.returncode != 0
    assert "make gen" in result.stderr
