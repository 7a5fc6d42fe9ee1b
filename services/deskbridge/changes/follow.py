"""`deskbridge watch KIND`: print changes live through ChangeService.Watch (gRPC only).

    deskbridge watch tickets --backend invgate
    deskbridge watch users --initial --json | jq .
    deskbridge watch all --resume TOKEN

Each change is printed as `deskbridge events tail` prints an event (the same CloudEvents
attributes and typed payload), with the resume token under it (`--json`: a `resume_token`
member). When the server ends the watch with a token (it shut down, or this terminal read
too slowly), the command resumes with the last token it received, so nothing is missed or
printed twice. The address, TLS and token options are those of every gRPC command
(cli/connect.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TextIO

import grpc
from google.protobuf.message import Message

from deskbridge.changes import KINDS
from deskbridge.cli.connect import add_connection_arguments, open_channel, target_of
from deskbridge.cli.render import Output
from deskbridge.events.envelope import REVISION_HEADER, format_time
from deskbridge.events.tail import format_event
from deskbridge.v1 import changes_pb2, changes_pb2_grpc

RESUMABLE = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED)
MAX_RESUMES = 20


def add_watch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=sorted(KINDS), help="what to watch (`all`: every kind)")
    parser.add_argument("--backend", help="one backend (default: every backend)")
    add_connection_arguments(parser)
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--initial", action="store_true", help="print the current state first")
    start.add_argument("--resume", metavar="TOKEN", help="continue after this resume token")
    parser.add_argument(
        "--json", action="store_true", dest="json_output", help="one JSON object per line"
    )
    parser.add_argument("--limit", type=int, metavar="N", help="stop after N changes")


def request_of(args: argparse.Namespace) -> Message:
    kind = KINDS[args.kind]
    return changes_pb2.WatchRequest(
        parent=f"backends/{args.backend}" if args.backend else "backends/-",
        resource_kinds=[kind] if kind else [],
        send_initial_state=args.initial,
        resume_token=args.resume or "",
    )


def render(response: Message, json_output: bool) -> str | None:
    """One WatchResponse as printed; None for bookmarks."""
    if response.HasField("initial_state_end"):
        end = response.initial_state_end
        if json_output:
            return json.dumps(
                {
                    "initial_state_end": {
                        "resource_kinds": list(end.resource_kinds),
                        "resource_count": end.resource_count,
                    },
                    "resume_token": response.resume_token,
                }
            )
        return f"-- initial state: {end.resource_count} resources; live changes follow --\n"
    if not response.HasField("change"):
        return None
    change = response.change
    headers = {
        "ce-id": change.id,
        "ce-source": change.source,
        "ce-type": change.type,
        "ce-subject": change.subject,
        "ce-time": format_time(change.time.ToDatetime()),
    }
    if change.revision:
        headers[REVISION_HEADER] = change.revision
    event = getattr(change, change.WhichOneof("event"))
    text = format_event(
        f"{change.type}",
        headers,
        event.SerializeToString(),
        stream_seq=change.stream_sequence or None,
        json_output=json_output,
    )
    if json_output:
        record = json.loads(text)
        record.pop("nats_subject", None)
        record["initial_state"] = change.initial_state
        record["resume_token"] = response.resume_token
        return json.dumps(record, separators=(",", ":"), ensure_ascii=False)
    return text + (f"  resume token: {response.resume_token}\n" if response.resume_token else "")


async def follow(
    args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO | None = None
) -> int:
    """Print changes until interrupted (or `--limit`); on an error that is not resumable,
    the error (on `err`, default stderr) and its exit code (cli/render.py)."""
    output = Output(args.json_output, out, err)
    try:
        target = target_of(args)
    except ValueError as error:
        return output.usage_error(error)
    request = request_of(args)
    printed = resumes = 0
    token = request.resume_token
    async with open_channel(target) as channel:
        stub = changes_pb2_grpc.ChangeServiceStub(channel)
        while True:
            call = stub.Watch(request)
            try:
                async for response in call:
                    if response.resume_token:
                        token = response.resume_token
                    text = render(response, args.json_output)
                    if text is None:
                        continue
                    print(text, file=out, flush=True)
                    if response.HasField("change"):
                        printed += 1
                        if args.limit and printed >= args.limit:
                            call.cancel()
                            return 0
                return 0
            except grpc.aio.AioRpcError as error:
                if error.code() not in RESUMABLE or not token or resumes >= MAX_RESUMES:
                    return output.rpc_error(error, address=target.address, source=target.source)
                resumes += 1
                output.note(f"deskbridge: {error.code().name} ({error.details()}); resuming")
                await asyncio.sleep(min(5.0, 0.2 * resumes))
                request = changes_pb2.WatchRequest()
                request.CopyFrom(request_of(args))
                request.send_initial_state = False
                request.resume_token = token
