"""Running `deskbridge` commands from the tests: in-process (in the test's event loop) or as a
process, and reading their tables and JSON."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import sys
from dataclasses import dataclass
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import Message

from deskbridge.cli import run_async


@dataclass(frozen=True)
class Ran:
    """What a command did: its exit code, stdout and stderr."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def parsed(self, message_type: type[Message]) -> Message:
        """stdout's JSON document as a message of `message_type` (unknown fields refused)."""
        return json_format.Parse(self.out, message_type())

    def error(self) -> dict[str, Any]:
        """The JSON error document `--json` prints on stderr."""
        return json.loads(self.err)["error"]

    def table(self) -> list[dict[str, str]]:
        """The table on stdout, one dict per row keyed by the headers (cells are read at
        their header's column: rich left-aligns them)."""
        lines = [line for line in self.out.splitlines() if line.strip()]
        header = lines[0]
        spans = [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", header)]
        ends = [start for start, _ in spans[1:]] + [None]
        return [
            {name: line[start:end].strip() for (start, name), end in zip(spans, ends, strict=True)}
            for line in lines[1:]
        ]

    def details(self) -> dict[str, str]:
        """A record's `field  value` lines as a dict."""
        pairs = (re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in self.out.splitlines())
        return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


async def deskbridge(*argv: str) -> Ran:
    """Run `deskbridge ARGV...` in this event loop (its output apart from the in-process
    server's log lines)."""
    out, err = io.StringIO(), io.StringIO()
    code = await run_async(list(argv), out, err)
    return Ran(code, out.getvalue(), err.getvalue())


async def deskbridge_process(
    *argv: str, env: dict[str, str] | None = None, within: float = 30
) -> Ran:
    """Run `deskbridge ARGV...` as its own process (python -m deskbridge.cli)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deskbridge.cli",
        *argv,
        env={**os.environ, **(env or {})},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), within)
    return Ran(process.returncode or 0, out.decode(), err.decode())
