"""`deskbridge events tail`: the stream's events as they arrive (events/tail.py), on the NATS
the flag, the environment or a running `deskbridge up` names."""

from __future__ import annotations

import argparse
import os
from typing import Any

from deskbridge.cli.discovery import find_up


def add_parsers(commands: Any) -> None:
    from deskbridge.events.tail import add_tail_arguments

    events = commands.add_parser("events", help="work with the change-event stream")
    verbs = events.add_subparsers(dest="events_command", required=True, metavar="COMMAND")
    add_tail_arguments(verbs.add_parser("tail", help="print events as they arrive"))


def nats_url_of(args: argparse.Namespace) -> tuple[str, str]:
    """The NATS URL to tail and where it came from: --nats-url, DESKBRIDGE_NATS_URL, the
    running `deskbridge up`'s discovery file, or the default."""
    from deskbridge.events.tail import DEFAULT_NATS_URL

    if args.nats_url:
        return args.nats_url, "--nats-url"
    if os.environ.get("DESKBRIDGE_NATS_URL"):
        return os.environ["DESKBRIDGE_NATS_URL"], "DESKBRIDGE_NATS_URL"
    running = find_up()
    if running is not None:
        return running.nats_url, f"the running `deskbridge up`, {running.path}"
    return DEFAULT_NATS_URL, "the default; no `deskbridge up` is running here"


async def run_events(args: argparse.Namespace) -> int:
    from deskbridge.events.tail import run_tail

    args.nats_url, source = nats_url_of(args)
    return await run_tail(args, source)
