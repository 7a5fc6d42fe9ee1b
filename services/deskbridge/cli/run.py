"""`deskbridge up | serve | watch [BACKEND ...] | sandbox VENDOR`: running Deskbridge itself
(suite.py), as opposed to the commands that talk to a running one."""

from __future__ import annotations

import argparse
from typing import Any

from deskbridge.changes import KINDS as WATCH_WORDS
from deskbridge.runtime.server import ALL_SERVICES

SANDBOXES = {
    "invgate": "deskbridge.sandbox.invgate.__main__",
    "motadata": "deskbridge.sandbox.motadata.__main__",
    "crmcom": "deskbridge.sandbox.crmcom.__main__",
    "requestor": "deskbridge.sandbox.requestor.__main__",
}


def add_parsers(commands: Any) -> None:
    up = commands.add_parser("up", help="run the whole suite on its embedded defaults")
    up.add_argument("--grpc-address", help="override DESKBRIDGE_GRPC_ADDRESS (127.0.0.1:50051)")
    up.add_argument("--nats-port", type=int, default=4222, help="embedded NATS port (4222)")
    up.add_argument("--sandbox-port", type=int, default=8081, help="InvGate sandbox port (8081)")
    up.add_argument("--motadata-port", type=int, default=8082, help="Motadata sandbox port (8082)")
    up.add_argument("--crmcom-port", type=int, default=8083, help="CRM.COM sandbox port (8083)")
    up.add_argument(
        "--requestor-port", type=int, default=8084, help="Requestor sandbox port (8084)"
    )
    up.add_argument("--requests", type=int, default=300, help="demo requests in the sandbox")
    up.add_argument("--webhook-port", type=int, default=8090, help="webhook intake port (8090)")
    up.add_argument(
        "--poll-seconds", type=float, default=5.0, help="watcher poll interval for the sandbox (5)"
    )

    serve = commands.add_parser("serve", help="host services against configured backends")
    serve.add_argument(
        "services", nargs="+", metavar="SERVICE", help=f"all, or any of: {', '.join(ALL_SERVICES)}"
    )

    watch = commands.add_parser(
        "watch",
        help="capture changes made in the vendors themselves; `watch KIND` prints changes live",
        description="Run the watcher for BACKENDs. `deskbridge watch KIND --help` instead "
        f"prints changes live over gRPC; KIND is one of {', '.join(WATCH_WORDS)}.",
    )
    watch.add_argument("backends", nargs="*", metavar="BACKEND", help="default: every backend")

    sandbox = commands.add_parser("sandbox", help="run a vendor sandbox alone")
    vendors = sandbox.add_subparsers(dest="vendor", required=True)
    vendors.add_parser("invgate", help="InvGate Service Management emulator (see its --help)")
    vendors.add_parser("motadata", help="Motadata ServiceOps emulator (see its --help)")
    vendors.add_parser("crmcom", help="CRM.COM Web API emulator (see its --help)")
    vendors.add_parser("requestor", help="Requestor API and triggers emulator (see its --help)")


def watch_parser() -> argparse.ArgumentParser:
    """`deskbridge watch KIND ...` (changes/follow.py), parsed apart from the watcher's
    `deskbridge watch [BACKEND ...]`."""
    from deskbridge.changes.follow import add_watch_arguments

    parser = argparse.ArgumentParser(
        prog="deskbridge watch", description="print changes live (ChangeService.Watch)"
    )
    add_watch_arguments(parser)
    return parser


async def run_suite(args: argparse.Namespace) -> int:
    from deskbridge import suite

    if args.command == "up":
        return await suite.up(args)
    if args.command == "watch":
        return await suite.watch(args.backends)
    return await suite.serve(args.services)
