"""W2: many ChangeService.Watch streams on one Deskbridge process — memory per watch, and
the delay from an event's arrival on the stream to its delivery on every watch.

`nats-server` and `deskbridge serve changes` each run in their own process; this harness
opens the watches (spread over several channels, as many clients would), waits until every
one is established (its response headers arrived), reads the server's RSS before and after,
then publishes events one at a time, each stamped with the wall-clock time JetStream acked
it, and records, on every watch, when it arrived. The harness process also decodes every
delivery (1,000 watches times the events), so the figures include a Python client's own cost on the
same two cores: they are an upper bound of the server's part.

    python -m benchmarks.watch_fanout [--watches 1000] [--events 50] [--smoke]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import grpc
import nats

from benchmarks.harness import free_port, pct, rss_mb, spawn, wait_grpc
from deskbridge.runtime.nats import EmbeddedNats
from deskbridge.v1 import changes_pb2, changes_pb2_grpc, events_pb2, tickets_pb2

CHANNELS = 10


async def _watch(stub, ready: asyncio.Event, arrivals: list[float], expected: int) -> None:
    call = stub.Watch(changes_pb2.WatchRequest(parent="backends/-"))
    await call.initial_metadata()
    ready.set()
    async for message in call:
        if message.HasField("change"):
            arrivals.append(time.time() - float(message.change.ticket.ticket.description))
            if len(arrivals) >= expected:
                call.cancel()
                return


async def fanout(watches: int, events: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="deskbridge-w2-"))
    server = EmbeddedNats(workdir / "nats")
    await server.start()
    address = f"127.0.0.1:{free_port()}"
    service = await spawn(
        sys.executable,
        "-m",
        "deskbridge.cli",
        "serve",
        "changes",
        env={
            "DESKBRIDGE_GRPC_ADDRESS": address,
            "DESKBRIDGE_NATS_URL": server.url,
            "DESKBRIDGE_LOG_LEVEL": "warning",
            "DESKBRIDGE_DATA_DIR": str(workdir / "data"),
            "DESKBRIDGE_CALLER_IN_FLIGHT": "0",
        },
    )
    channels = [grpc.aio.insecure_channel(address) for _ in range(CHANNELS)]
    nc = await nats.connect(server.url)
    try:
        await wait_grpc(address)
        await asyncio.sleep(1.0)
        before = rss_mb(service.pid)
        arrivals: list[list[float]] = [[] for _ in range(watches)]
        ready = [asyncio.Event() for _ in range(watches)]
        stubs = [changes_pb2_grpc.ChangeServiceStub(c) for c in channels]
        started = time.monotonic()
        tasks = [
            asyncio.ensure_future(_watch(stubs[i % CHANNELS], ready[i], arrivals[i], events))
            for i in range(watches)
        ]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), 120)
        established = time.monotonic() - started
        await asyncio.sleep(1.0)
        after = rss_mb(service.pid)
        js = nc.jetstream()
        for i in range(events):
            ticket = tickets_pb2.Ticket(name=f"backends/bench/tickets/{i}", title=f"t{i}")
            event = events_pb2.TicketEvent(action=events_pb2.CHANGE_ACTION_UPDATED)
            # the delay is measured from the ack; the stamp travels in the payload
            acked_at = time.time()
            ticket.description = repr(acked_at)
            event.ticket.CopyFrom(ticket)
            await js.publish(
                "deskbridge.bench.ticket.updated",
                event.SerializeToString(),
                headers={
                    "ce-type": "deskbridge.v1.ticket.updated",
                    "ce-subject": ticket.name,
                    "ce-id": f"bench-{i}",
                },
                stream="DESKBRIDGE_EVENTS",
            )
            await asyncio.sleep(0.2)
        await asyncio.wait_for(asyncio.gather(*tasks), 60)
        delays = [d for per_watch in arrivals for d in per_watch]
        return {
            "watches": watches,
            "events": events,
            "deliveries": len(delays),
            "established_seconds": round(established, 2),
            "rss_before_mb": round(before, 1),
            "rss_after_mb": round(after, 1),
            "rss_per_watch_kb": round((after - before) * 1024 / watches, 1),
            "delay_p50_ms": round(pct(delays, 0.50) * 1000, 2),
            "delay_p99_ms": round(pct(delays, 0.99) * 1000, 2),
            "delay_max_ms": round(max(delays) * 1000, 2),
        }
    finally:
        await nc.close()
        for channel in channels:
            await channel.close()
        service.terminate()
        await service.wait()
        await server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watches", type=int, default=1000)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--smoke", action="store_true", help="20 watches, 5 events")
    args = parser.parse_args()
    watches, events = (20, 5) if args.smoke else (args.watches, args.events)
    figures = asyncio.run(fanout(watches, events))
    print(json.dumps(figures, indent=2))
    ok = figures["deliveries"] == watches * events
    print(f"W2 every event delivered on every watch: {'pass' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
