"""What tracing costs: CPU per InvGate `GetTicket` with OpenTelemetry off and on (and, with
`--compare loop`, what the event loop saves: asyncio's against uvloop, tracing off).

    python -m benchmarks.tracing_cost [--rounds N] [--calls N] [--compare tracing|loop]

One InvGate sandbox, an OTLP/gRPC sink (`python -m benchmarks.tracing_cost sink PORT`: a
collector that counts the spans it receives and drops them), and two `deskbridge serve
tickets backends` processes on the same sandbox: one with tracing off (no `OTEL_*`), one
exporting every span to the sink (`OTEL_EXPORTER_OTLP_ENDPOINT`, batch processor, the SDK's
defaults). Interleaved rounds of GetTicket at 32 in flight; the figure is the median of the
per-round ratios (on / off), and the sink's span count proves the spans were exported. Not part
of `make bench` (issue #21 asks for the cost, not a target). `--compare loop` runs the same
pair with `DESKBRIDGE_EVENT_LOOP=asyncio` and `=uvloop` instead (runtime/eventloop.py): the
same sandbox, the same rounds, so the difference is the loop's alone.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

import grpc

from benchmarks.harness import (
    backends_toml,
    cpu_per_call,
    free_port,
    median,
    service_env,
    spawn,
    spawn_module,
    stop_process,
    wait_grpc,
    wait_http,
)
from deskbridge.v1 import tickets_pb2 as t
from deskbridge.v1 import tickets_pb2_grpc

TICKET = "backends/invgate/tickets/1001"


async def sink(port: int) -> None:
    """An OTLP trace collector that counts the spans it receives, printing the running count
    on stdout after every export."""
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

    received = 0

    class Collector(trace_service_pb2_grpc.TraceServiceServicer):
        async def Export(self, request, context):
            nonlocal received
            received += sum(len(s.spans) for r in request.resource_spans for s in r.scope_spans)
            print(received, flush=True)
            return trace_service_pb2.ExportTraceServiceResponse()

    server = grpc.aio.server()
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(Collector(), server)
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    await server.wait_for_termination()


async def measure(rounds: int, calls: int, compare: str = "tracing") -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        sandbox_port, sink_port = free_port(), free_port()
        sandbox = await spawn(
            sys.executable,
            *("-m", "deskbridge.cli", "sandbox", "invgate", "--requests", "50"),
            *("--port", str(sandbox_port)),
        )
        collector = await spawn_module(
            "benchmarks.tracing_cost",
            "sink",
            str(sink_port),
            stdout=asyncio.subprocess.PIPE,
        )
        url = f"http://127.0.0.1:{sandbox_port}"
        config = workdir / "deskbridge.toml"
        config.write_text(
            backends_toml(
                [
                    {
                        "name": "invgate",
                        "vendor": "invgate",
                        "base_url": url,
                        "credentials": {"username": "api", "password": "sandbox-token"},
                    }
                ]
            )
        )
        traced = {
            "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{sink_port}",
            "OTEL_EXPORTER_OTLP_INSECURE": "true",
            "OTEL_SERVICE_NAME": "deskbridge-bench",
        }
        pair: dict[str, dict[str, str]] = (
            {"tracing_off": {}, "tracing_on": traced}
            if compare == "tracing"
            else {
                "asyncio": {"DESKBRIDGE_EVENT_LOOP": "asyncio"},
                "uvloop": {"DESKBRIDGE_EVENT_LOOP": "uvloop"},
            }
        )
        services = {}
        try:
            await wait_http(url + "/_sandbox/health")
            for name, extra in pair.items():
                address = f"127.0.0.1:{free_port()}"
                env = service_env(config, address, "", workdir / name, **extra)
                env.pop("DESKBRIDGE_NATS_URL")
                process = await spawn(
                    sys.executable,
                    *("-m", "deskbridge.cli", "serve", "tickets", "backends"),
                    env=env,
                )
                await wait_grpc(address)
                services[name] = (process, address)
            per_round: dict[str, list[float]] = {name: [] for name in pair}
            channels = {n: grpc.aio.insecure_channel(a) for n, (_, a) in services.items()}
            request = t.GetTicketRequest(name=TICKET)
            for _ in range(rounds):
                for name, (process, _) in services.items():
                    stub = tickets_pb2_grpc.TicketServiceStub(channels[name])
                    await stub.GetTicket(request)
                    cpu = await cpu_per_call(
                        process.pid, lambda s=stub: s.GetTicket(request), calls
                    )
                    per_round[name].append(cpu * 1e6)
            for channel in channels.values():
                await channel.close()
            if compare == "tracing":
                await asyncio.sleep(6)  # the batch processor exports every 5 s
            spans = await _exported(collector)
        finally:
            for process, _ in services.values():
                await stop_process(process)
            await stop_process(sandbox)
            await stop_process(collector)
    base, other = pair
    ratios = [b / a for a, b in zip(per_round[base], per_round[other], strict=True)]
    figures = {f"{name}_cpu_us": round(median(values), 1) for name, values in per_round.items()}
    figures[f"{other}_over_{base}"] = round(median(ratios), 3)
    if compare == "tracing":
        figures |= {"spans_exported": spans, "calls_traced": rounds * (calls + 1)}
    return figures


async def _exported(collector: asyncio.subprocess.Process) -> int:
    """The sink's last count (it prints one line per export)."""
    assert collector.stdout is not None
    last = 0
    while True:
        try:
            line = await asyncio.wait_for(collector.stdout.readline(), 0.5)
        except TimeoutError:
            return last
        if not line:
            return last
        last = int(line)


def main() -> None:
    if sys.argv[1:2] == ["sink"]:
        asyncio.run(sink(int(sys.argv[2])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--compare", choices=["tracing", "loop"], default="tracing")
    arguments = parser.parse_args()
    figures = asyncio.run(measure(arguments.rounds, arguments.calls, arguments.compare))
    for key, value in figures.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
