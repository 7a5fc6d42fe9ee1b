"""The raw publishing baseline of P6 and P7: nats-py's async JetStream publish, nothing else.

    python -m benchmarks.publish NATS_URL COUNT PAYLOAD_BYTES

Publishes COUNT messages of PAYLOAD_BYTES to `deskbridge.bench.ticket.updated` (the events
stream) with CloudEvents-sized headers and a unique `Nats-Msg-Id` each, up to nats-py's
default 4,000 unacknowledged at a time (`publish_async`), waits for every ack and prints
`{"per_s": …, "per_cpu_s": …, "acked": …}`: the rate a Python process gets from JetStream on
this machine, per second and per second of its own CPU.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import nats

SUBJECT = "deskbridge.bench.ticket.updated"


async def publish(url: str, count: int, size: int) -> dict[str, float]:
    nc = await nats.connect(url)
    js = nc.jetstream()
    payload = b"x" * size
    run = time.time_ns()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        futures = []
        for i in range(count):
            headers = {
                "ce-specversion": "1.0",
                "ce-id": f"bench-{run}-{i}",
                "ce-source": "deskbridge/bench",
                "ce-type": "deskbridge.v1.ticket.updated",
                "ce-subject": f"backends/bench/tickets/{i}",
                "content-type": "application/protobuf",
                "Nats-Msg-Id": f"bench-{run}-{i}",
            }
            futures.append(await js.publish_async(SUBJECT, payload, headers=headers))
        acks = await asyncio.gather(*futures)
        elapsed, used = time.perf_counter() - started, time.process_time() - cpu
    finally:
        await nc.close()
    acked = sum(1 for a in acks if a.seq)
    return {"per_s": count / elapsed, "per_cpu_s": count / used, "acked": acked}


def main(argv: list[str]) -> None:
    url, count, size = argv
    print(json.dumps(asyncio.run(publish(url, int(count), int(size)))))


if __name__ == "__main__":
    main(sys.argv[1:])
