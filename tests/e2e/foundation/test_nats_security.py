"""NATS with authentication and TLS: a real nats-server started with a config (user and
password, a trustme certificate); events flow, refusals are clear and keep the secret."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import grpc
import pytest
import trustme
from e2e_support import invgate_backend, settings_for
from google.protobuf import field_mask_pb2

from deskbridge.events.tail import tail
from deskbridge.runtime.nats import EmbeddedNats, NatsRefused
from deskbridge.runtime.settings import NatsAuth, Secret, load_nats_auth
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.suite import start_runtime
from deskbridge.v1 import tickets_pb2, tickets_pb2_grpc

PASSWORD = "nats-test-secret"


@pytest.fixture
async def secured_nats(tmp_path):
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    files = {name: tmp_path / f"{name}.pem" for name in ("ca", "cert", "key")}
    ca.cert_pem.write_to_path(files["ca"])
    cert.cert_chain_pems[0].write_to_path(files["cert"])
    cert.private_key_pem.write_to_path(files["key"])
    config = tmp_path / "nats.conf"
    config.write_text(
        f'authorization {{ user: deskbridge, password: "{PASSWORD}" }}\n'
        f'tls {{ cert_file: "{files["cert"]}", key_file: "{files["key"]}" }}\n'
    )
    server = EmbeddedNats(tmp_path / "nats", extra_args=("-c", str(config)))
    await server.start()
    yield server, files
    await server.stop()


async def test_events_flow_through_an_authenticated_tls_nats(tmp_path, secured_nats):
    server, files = secured_nats
    env = {
        "DESKBRIDGE_NATS_USER": "deskbridge",
        "DESKBRIDGE_NATS_PASSWORD": PASSWORD,
        "DESKBRIDGE_NATS_TLS_CA_FILE": str(files["ca"]),
    }
    auth = load_nats_auth(env)
    sandbox = await start_sandbox(SandboxConfig(request_count=5, seed=2))
    backend = invgate_backend("locked", sandbox.url)
    settings = replace(settings_for(tmp_path, backend, nats_url=server.url), nats=auth)
    runtime = await start_runtime(settings, ["all"])
    try:
        async with grpc.aio.insecure_channel(runtime.address) as channel:
            stub = tickets_pb2_grpc.TicketServiceStub(channel)
            listed = await stub.ListTickets(
                tickets_pb2.ListTicketsRequest(parent="backends/locked")
            )
            name = listed.tickets[0].name
            await stub.UpdateTicket(
                tickets_pb2.UpdateTicketRequest(
                    ticket=tickets_pb2.Ticket(name=name, title="Over TLS"),
                    update_mask=field_mask_pb2.FieldMask(paths=["title"]),
                )
            )
        out = io.StringIO()
        printed = await tail(
            server.url,
            subject="deskbridge.locked.>",
            from_start=True,
            json_output=True,
            limit=1,
            out=out,
            nats_options=auth.connect_options(),
        )
        assert printed == 1
        event = json.loads(out.getvalue())
        assert (event["subject"], event["data"]["ticket"]["title"]) == (name, "Over TLS")
    finally:
        await runtime.stop()
        await sandbox.stop()


@pytest.mark.parametrize(
    ("auth", "names"),
    [
        (
            lambda ca: NatsAuth(user="deskbridge", password=Secret("wrong"), tls_ca_file=ca),
            "DESKBRIDGE_NATS_USER",
        ),
        (lambda ca: NatsAuth(tls_ca_file=ca), "DESKBRIDGE_NATS_USER"),
        (
            lambda ca: NatsAuth(user="deskbridge", password=Secret(PASSWORD)),
            "DESKBRIDGE_NATS_TLS_CA_FILE",
        ),
    ],
    ids=["wrong-password", "no-credentials", "untrusted-certificate"],
)
async def test_a_refused_connection_is_a_clear_startup_error(tmp_path, secured_nats, auth, names):
    server, files = secured_nats
    settings = replace(settings_for(tmp_path, nats_url=server.url), nats=auth(files["ca"]))
    with pytest.raises(NatsRefused) as refused:
        await start_runtime(settings, ["all"])
    assert names in str(refused.value)
    assert PASSWORD not in str(refused.value)
