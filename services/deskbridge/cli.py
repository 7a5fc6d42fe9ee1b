"""The `deskbridge` command.

deskbridge up                      NATS, the vendor sandboxes, every service and the watcher
deskbridge serve tickets [...]     host some services (or `all`) against configured backends
deskbridge watch [BACKEND ...]     capture vendor-side changes (all watched backends by default)
deskbridge watch KIND [--backend]  print changes live over gRPC (ChangeService.Watch): tickets, ...
deskbridge sandbox VENDOR          run one vendor sandbox alone (invgate, motadata, ...)
deskbridge events tail             print change events as they arrive
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from deskbridge.changes import KINDS as WATCH_WORDS
from deskbridge.runtime.server import ALL_SERVICES

SANDBOXES = {
    "invgate": "deskbridge.sandbox.invgate.__main__",
    "motadata": "deskbridge.sandbox.motadata.__main__",
    "crmcom": "deskbridge.sandbox.crmcom.__main__",
    "requestor": "deskbridge.sandbox.requestor.__main__",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="deskbridge", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"deskbridge {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)

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

    events = commands.add_parser("events", help="work with the change-event stream")
    event_commands = events.add_subparsers(dest="events_command", required=True)
    tail = event_commands.add_parser("tail", help="print events as they arrive")
    from deskbridge.events.tail import add_tail_arguments

    add_tail_arguments(tail)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("deskbridge")
    except PackageNotFoundError:
        return "unknown (not installed)"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["sandbox"] and argv[1:2] and argv[1] in SANDBOXES:
        import importlib  # the sandbox parses its own options

        return importlib.import_module(SANDBOXES[argv[1]]).main(argv[2:])
    if argv[:1] == ["watch"] and argv[1:2] and argv[1] in WATCH_WORDS:
        from deskbridge.changes.follow import add_watch_arguments, follow

        parser = argparse.ArgumentParser(
            prog="deskbridge watch", description="print changes live (ChangeService.Watch)"
        )
        add_watch_arguments(parser)
        return _run(follow(parser.parse_args(argv[1:])))
    args = build_parser().parse_args(argv)
    if args.command == "events":
        from deskbridge.events.tail import run_tail

        return _run(run_tail(args))
    from deskbridge import suite

    if args.command == "up":
        return _run(suite.up(args))
    if args.command == "watch":
        return _run(suite.watch(args.backends))
    return _run(suite.serve(args.services))


def _run(coroutine) -> int:
    try:
        return asyncio.run(coroutine) or 0
    except KeyboardInterrupt:
        return 0
    except Exception as error:  # a clean message, not a traceback, for config mistakes
        from deskbridge.runtime.settings import ConfigError

        if isinstance(error, ConfigError | ValueError):
            print(f"deskbridge: {error}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
