"""The stack the service scenarios (P1 to P4, P8) measure: nats-server, one sandbox process per
vendor, two more whose tokens expire within seconds (P8), the light upstream (P3) and one
Deskbridge service process (`deskbridge serve tickets backends`) with a backend on each.

Backends: `invgate`, `motadata` (OAuth2 password grant: a bearer token), `crmcom` (a session
token in the query), `requestor` (GetTicket from the event view: one ticket, created through
the service at start so that the view holds it), `motadata-ttl` and `crmcom-ttl` (the same
vendors, tokens expiring `token_seconds` after issue), `light` (InvGate's adapter against
`benchmarks.upstream`, 100 ms, 1,100 connections).
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import httpx

from benchmarks.harness import (
    backends_toml,
    free_port,
    service_env,
    spawn,
    spawn_module,
    stop_process,
    wait_grpc,
    wait_http,
)
from deskbridge.runtime.nats import EmbeddedNats
from deskbridge.v1 import tickets_pb2 as t
from deskbridge.v1 import tickets_pb2_grpc
from deskbridge.vendors.invgate.mapping import ATTRIBUTE_FIELDS

INVGATE_BASIC = [
    ("Accept", "application/json"),
    ("Authorization", "Basic YXBpOnNhbmRib3gtdG9rZW4="),  # api:sandbox-token
]
MOTADATA = {
    "client_id": "deskbridge",
    "client_secret": "sandbox-secret",
    "username": "api@example.com",
    "password": "sandbox-password",
}
CRMCOM = {"username": "deskbridge", "password": "sandbox-password", "organisation": "CRMDEMO"}
REQUESTOR = {"username": "deskbridge", "password": "sandbox-password"}
LIGHT_LATENCY_MS = 100.0
LIGHT_CONNECTIONS = 1100  # 1,000 calls in flight, one connection each
INVGATE_TICKET = "1000"


@dataclass
class Sandbox:
    name: str
    url: str
    process: asyncio.subprocess.Process


@dataclass
class Stack:
    """See the module docstring; `start()` fills everything in."""

    token_seconds: int = 2
    sandboxes: dict[str, Sandbox] = field(default_factory=dict)
    tickets: dict[str, str] = field(default_factory=dict)  # backend → a ticket's name
    light_url: str = ""
    address: str = ""

    async def start(self, workdir: Path) -> None:
        self.workdir = workdir
        self.nats = EmbeddedNats(workdir / "nats")
        await self.nats.start()
        await self._start_sandboxes()
        self.light = await self._start_light()
        self.service = await self._start_service()
        await self._learn_tickets()

    async def _start_sandboxes(self) -> None:
        ttl = str(self.token_seconds)
        commands = {
            "invgate": ["invgate", "--requests", "200"],
            "motadata": ["motadata"],
            "crmcom": ["crmcom"],
            "requestor": ["requestor"],
            "motadata-ttl": ["motadata", "--token-ttl", ttl],
            "crmcom-ttl": ["crmcom", "--token-absolute", ttl],
        }
        for name, args in commands.items():
            port = free_port()
            process = await spawn(
                sys.executable, "-m", "deskbridge.cli", "sandbox", *args, "--port", str(port)
            )
            self.sandboxes[name] = Sandbox(name, f"http://127.0.0.1:{port}", process)
        await asyncio.gather(
            *(wait_http(s.url + "/_sandbox/health") for s in self.sandboxes.values())
        )

    def url(self, backend: str) -> str:
        return self.sandboxes[backend].url

    async def _start_light(self) -> asyncio.subprocess.Process:
        """The light upstream, serving what the InvGate sandbox answers for one request and
        for the reference tables the adapter reads."""
        answers: dict[str, Any] = {}
        async with httpx.AsyncClient(
            base_url=self.url("invgate") + "/api/v1/", auth=("api", "sandbox-token")
        ) as client:
            incident = await client.get("incident", params={"id": INVGATE_TICKET})
            answers["/api/v1/incident"] = incident.raise_for_status().json()
            for key in [key for _, _, key in ATTRIBUTE_FIELDS] + ["categories", "cf.fields.all"]:
                answer = await client.get(key)
                if answer.status_code == 200:
                    answers[f"/api/v1/{key}"] = answer.json()
        recorded = self.workdir / "light.json"
        recorded.write_text(json.dumps(answers))
        port = free_port()
        self.light_url = f"http://127.0.0.1:{port}"
        process = await spawn_module(
            "benchmarks.upstream", str(port), str(LIGHT_LATENCY_MS), str(recorded)
        )
        await wait_http(self.light_url + "/_count")
        return process

    def backends(self) -> list[dict[str, Any]]:
        invgate_credentials = {"username": "api", "password": "sandbox-token"}
        return [
            {"name": "invgate", "vendor": "invgate", "base_url": self.url("invgate")}
            | {"credentials": invgate_credentials},
            {"name": "motadata", "vendor": "motadata", "base_url": self.url("motadata")}
            | {"credentials": MOTADATA},
            {"name": "crmcom", "vendor": "crmcom", "base_url": self.url("crmcom")}
            | {"credentials": CRMCOM},
            {"name": "requestor", "vendor": "requestor", "base_url": self.url("requestor")}
            | {"credentials": REQUESTOR},
            {"name": "motadata-ttl", "vendor": "motadata", "base_url": self.url("motadata-ttl")}
            | {"credentials": MOTADATA},
            {"name": "crmcom-ttl", "vendor": "crmcom", "base_url": self.url("crmcom-ttl")}
            | {"credentials": CRMCOM},
            {"name": "light", "vendor": "invgate", "base_url": self.light_url}
            | {"max_connections": LIGHT_CONNECTIONS, "credentials": invgate_credentials},
        ]

    async def _start_service(self) -> asyncio.subprocess.Process:
        config = self.workdir / "deskbridge.toml"
        config.write_text(backends_toml(self.backends()))
        self.address = f"127.0.0.1:{free_port()}"
        process = await spawn(
            sys.executable,
            "-m",
            "deskbridge.cli",
            "serve",
            "tickets",
            "backends",
            env=service_env(config, self.address, self.nats.url, self.workdir),
        )
        await wait_grpc(self.address)
        return process

    async def _learn_tickets(self) -> None:
        """A ticket of every backend: listed for the vendors, created for Requestor (so its
        event view holds one)."""
        self.tickets["invgate"] = f"backends/invgate/tickets/{INVGATE_TICKET}"
        self.tickets["light"] = f"backends/light/tickets/{INVGATE_TICKET}"
        async with grpc.aio.insecure_channel(self.address) as channel:
            stub = tickets_pb2_grpc.TicketServiceStub(channel)
            for backend in ("motadata", "crmcom", "motadata-ttl", "crmcom-ttl"):
                listed = await stub.ListTickets(
                    t.ListTicketsRequest(parent=f"backends/{backend}", page_size=1)
                )
                self.tickets[backend] = listed.tickets[0].name
            created = await stub.CreateTicket(
                t.CreateTicketRequest(
                    parent="backends/requestor",
                    ticket=t.Ticket(
                        title="bench",
                        description="The benchmark's ticket, read from the event view.",
                        requester_email="bench@example.com",
                        service="backends/requestor/services/1",
                        vendor_type={"id": "1"},
                    ),
                )
            )
            self.tickets["requestor"] = created.ticket.name
            request = t.GetTicketRequest(name=created.ticket.name)
            for _ in range(100):  # the view takes the event in after JetStream acked it
                try:
                    await stub.GetTicket(request)
                    break
                except grpc.aio.AioRpcError as error:
                    if error.code() != grpc.StatusCode.NOT_FOUND:
                        raise
                    await asyncio.sleep(0.05)

    @property
    def service_pid(self) -> int:
        return self.service.pid

    async def faults(self, backend: str, **faults: Any) -> None:
        async with httpx.AsyncClient() as client:
            answer = await client.put(self.url(backend) + "/_sandbox/faults", json=faults)
            answer.raise_for_status()

    async def stop(self) -> None:
        """Everything `start()` got to, also when it failed half-way."""
        await stop_process(getattr(self, "service", None))
        await stop_process(getattr(self, "light", None))
        for sandbox in self.sandboxes.values():
            await stop_process(sandbox.process)
        if hasattr(self, "nats"):
            await self.nats.stop()
