"""`deskbridge events tail`: print change events as they arrive.

By default an ephemeral ordered consumer (nothing is left behind on the server) starting
with new events; `--from-start` replays the stream, `--since` starts at a time (RFC 3339 or
a duration back from now: 90s, 15m, 2h, 7d). `--durable NAME` uses (and acks on) a durable
consumer instead, so the next run continues where this one stopped. `--json` prints one
JSON object per event (CloudEvents attributes + `data` as protobuf JSON) for piping to jq.
Once subscribed it says on stderr what it waits on: the NATS URL and where that came from,
the stream, the subject and the starting point.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

import nats.errors
import nats.js.errors
from google.protobuf import json_format
from google.protobuf.message import Message
from nats.js import api

from deskbridge.events.claimcheck import payload_of
from deskbridge.events.envelope import MSG_ID_HEADER, REVISION_HEADER, parse_time
from deskbridge.events.payloads import MessageTypes, UndecodableEvent, decode_payload

DEFAULT_NATS_URL = "nats://127.0.0.1:4222"
_CE_ATTRIBUTES = ("specversion", "id", "source", "type", "subject", "time")
_SHOWN = {f"ce-{name}" for name in _CE_ATTRIBUTES} | {"content-type", MSG_ID_HEADER}
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """An RFC 3339 time, or a duration back from now (`90s`, `15m`, `2h`, `7d`)."""
    match = _DURATION.match(text.strip())
    if match:
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
        return (now or datetime.now(UTC)) - timedelta(seconds=seconds)
    try:
        return parse_time(text)
    except ValueError:
        raise ValueError(
            f"--since {text!r}: expected an RFC 3339 time or a duration like 15m, 2h, 7d"
        ) from None


def format_event(
    subject: str,
    headers: dict[str, str],
    data: bytes,
    *,
    stream_seq: int | None = None,
    json_output: bool = False,
    message_types: MessageTypes | None = None,
) -> str:
    """One event as printed by tail (one line with `json_output`)."""
    try:
        message: Message | None = decode_payload(headers.get("ce-type"), data, message_types)
        problem = None
    except UndecodableEvent as error:
        message, problem = None, str(error)
    if json_output:
        # CloudEvents JSON: every ce-* header is an attribute (extensions such as revision too)
        record: dict[str, Any] = {
            name.removeprefix("ce-"): value
            for name, value in headers.items()
            if name.startswith("ce-")
        }
        if "content-type" in headers:
            record["datacontenttype"] = headers["content-type"]
        record["nats_subject"] = subject
        if stream_seq is not None:
            record["stream_seq"] = stream_seq
        extra = {k: v for k, v in headers.items() if k not in _SHOWN and not k.startswith("ce-")}
        if extra:
            record["headers"] = extra
        if message is not None:
            record["data"] = json_format.MessageToDict(message, preserving_proto_field_name=True)
        else:
            record["data_base64"] = base64.b64encode(data).decode("ascii")
            if problem:
                record["error"] = problem
        return json.dumps(record, separators=(",", ":"), ensure_ascii=False)

    head = "  ".join(
        part
        for part in (
            headers.get("ce-time", "-"),
            headers.get("ce-type", subject),
            headers.get("ce-subject", ""),
            f"id={headers.get('ce-id', '-')}",
            f"source={headers.get('ce-source', '-')}",
            f"revision={headers[REVISION_HEADER]}" if REVISION_HEADER in headers else "",
            f"seq={stream_seq}" if stream_seq is not None else "",
        )
        if part
    )
    extra = [f"  {k}: {v}" for k, v in headers.items() if k not in _SHOWN | {REVISION_HEADER}]
    if message is not None:
        body = json_format.MessageToJson(message, preserving_proto_field_name=True, indent=2)
    elif problem:
        body = f"<{problem}>"
    else:
        body = f"<{len(data)} bytes, {headers.get('content-type', 'unknown type')}>"
    return "\n".join([head, *extra, _indent(body), ""])


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


async def tail(
    nats_url: str,
    *,
    subject: str = "deskbridge.>",
    from_start: bool = False,
    since: datetime | None = None,
    json_output: bool = False,
    durable: str | None = None,
    limit: int | None = None,
    out: TextIO = sys.stdout,
    stream: str | None = None,
    message_types: MessageTypes | None = None,
    connect_wait: float = 5.0,
    nats_options: dict[str, Any] | None = None,
    announce: Callable[[str], None] | None = None,
) -> int:
    """Print events until `limit` were printed (or forever); returns how many were printed.

    Raises `ConnectionError` when NATS cannot be reached within `connect_wait` seconds.
    `nats_options` are credentials and TLS (`NatsAuth.connect_options()`). `announce` is
    called with the stream's name once the subscription is in place.
    """
    from deskbridge.runtime.nats import connect_nats, drain_nats, redact_url

    if from_start and since is not None:
        raise ValueError("use either from_start or since, not both")
    nc = await connect_nats(
        nats_url, name="deskbridge-tail", first_connect_wait=connect_wait, **(nats_options or {})
    )
    try:
        if not nc.is_connected:
            raise ConnectionError(f"cannot reach NATS at {redact_url(nats_url)}")
        js = nc.jetstream()
        printed = 0

        def show(subject_: str, headers: dict[str, str], data: bytes, seq: int | None) -> bool:
            nonlocal printed
            text = format_event(
                subject_,
                headers,
                data,
                stream_seq=seq,
                json_output=json_output,
                message_types=message_types,
            )
            print(text, file=out, flush=True)
            printed += 1
            return limit is not None and printed >= limit

        if limit is not None and limit <= 0:
            return 0
        stream = stream or await js.find_stream_name_by_subject(subject)
        ready = (lambda: announce(stream)) if announce is not None else (lambda: None)
        if durable:
            await _tail_durable(js, durable, subject, from_start, since, stream, show, ready)
        else:
            await _tail_ordered(js, subject, from_start, since, stream, show, ready)
        return printed
    finally:
        await drain_nats(nc, grace=2.0)


async def _tail_ordered(js, subject, from_start, since, stream, show, ready) -> None:
    if since is not None:
        config = api.ConsumerConfig(
            deliver_policy=api.DeliverPolicy.BY_START_TIME, opt_start_time=since
        )
    else:
        policy = api.DeliverPolicy.ALL if from_start else api.DeliverPolicy.NEW
        config = api.ConsumerConfig(deliver_policy=policy)
    subscription = await js.subscribe(
        subject, stream=stream, ordered_consumer=True, config=config, idle_heartbeat=5.0
    )
    ready()
    try:
        while True:
            try:
                msg = await subscription.next_msg(timeout=1.0)
            except nats.errors.TimeoutError:
                continue
            if not msg.data and msg.headers and "Status" in msg.headers:
                continue  # heartbeat / flow control
            headers = dict(msg.headers or {})
            data = await payload_of(js, headers, msg.data)  # a claim-checked event's payload
            if show(msg.subject, headers, data, _stream_seq(msg)):
                return
    finally:
        with contextlib.suppress(Exception):
            await subscription.unsubscribe()


async def _tail_durable(js, durable, subject, from_start, since, stream, show, ready) -> None:
    from deskbridge.events.consumer import consume

    deliver_from: Any = since if since is not None else ("all" if from_start else "new")
    events = consume(
        js,
        durable=durable,
        subject=subject,
        deliver_from=deliver_from,
        stream=stream,
        batch=50,
        fetch_timeout=1.0,
    )
    ready()  # the consumer is made (or found) as the first events are fetched
    async with contextlib.aclosing(events):
        async for received in events:
            done = show(received.subject, received.headers, received.data, received.stream_sequence)
            await received.ack()
            if done:
                return


def _stream_seq(msg) -> int | None:
    try:
        return msg.metadata.sequence.stream
    except Exception:
        return None


def add_tail_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--nats-url",
        help="NATS server(s) (DESKBRIDGE_NATS_URL, else the running `deskbridge up`, else "
        f"{DEFAULT_NATS_URL})",
    )
    parser.add_argument(
        "--subject", default="deskbridge.>", help="subject filter (default: %(default)s)"
    )
    parser.add_argument("--stream", help="stream name (default: the stream of the subject)")
    start = parser.add_mutually_exclusive_group()
    start.add_argument(
        "--from-start", action="store_true", help="replay everything the stream keeps"
    )
    start.add_argument(
        "--since", metavar="TIME", help="start at an RFC 3339 time or a duration ago (15m, 2h)"
    )
    parser.add_argument(
        "--json", action="store_true", dest="json_output", help="one JSON object per line"
    )
    parser.add_argument("--durable", metavar="NAME", help="use (and ack on) a durable consumer")
    parser.add_argument("--limit", type=int, metavar="N", help="stop after N events")


def starting_point(args: argparse.Namespace, since: datetime | None) -> str:
    """Where the printed events start, in words."""
    if since is not None:
        start = f"events since {since.astimezone(UTC).isoformat(timespec='seconds')}"
    elif args.from_start:
        start = "every event the stream keeps, then new ones"
    else:
        start = "new events only"
    if args.durable:
        return f"durable consumer {args.durable}: where it left off (first run: {start})"
    return start


async def run_tail(args: argparse.Namespace, source: str = "") -> int:
    """The CLI entry: exit code 0, or 1 when NATS cannot be reached. `source` says where
    `args.nats_url` came from (the flag, the environment, a running `deskbridge up`)."""
    from deskbridge.runtime.logging import configure_logging

    configure_logging("warning", "console")  # stdout is for events only
    from deskbridge.runtime.nats import redact_url
    from deskbridge.runtime.settings import ConfigError, load_nats_auth

    nats_url = args.nats_url or os.environ.get("DESKBRIDGE_NATS_URL") or DEFAULT_NATS_URL
    origin = f" ({source})" if source else ""
    since = parse_since(args.since) if getattr(args, "since", None) else None

    def announce(stream: str) -> None:
        print(
            f"deskbridge: waiting on {redact_url(nats_url)}{origin}, stream {stream}, "
            f"subject {args.subject}, {starting_point(args, since)}",
            file=sys.stderr,
            flush=True,
        )

    try:
        await tail(
            nats_url,
            subject=args.subject,
            from_start=args.from_start,
            since=since,
            json_output=args.json_output,
            durable=args.durable,
            limit=args.limit,
            stream=args.stream,
            nats_options=load_nats_auth().connect_options(),
            announce=announce,
        )
    except BrokenPipeError:  # `| head`: the reader had enough
        raise
    except (ConnectionError, ConfigError) as error:
        print(f"deskbridge: {error}{origin}", file=sys.stderr)
        return 1
    except nats.js.errors.NotFoundError:
        print(
            f"deskbridge: no JetStream stream captures {args.subject!r} (is Deskbridge up?)",
            file=sys.stderr,
        )
        return 1
    except asyncio.CancelledError:
        return 0
    return 0
