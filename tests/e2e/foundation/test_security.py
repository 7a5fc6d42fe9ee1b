"""TLS, mTLS, authentication and scopes on the real gRPC server (trustme CAs, PyJWT tokens)."""

from __future__ import annotations

import json
import time
from dataclasses import replace

import grpc
import jwt
import pytest
import trustme
from cryptography.hazmat.primitives.asymmetric import rsa
from e2e_events import decoded, stored_events
from e2e_support import rpc_error, settings_for
from grpc_health.v1 import health_pb2, health_pb2_grpc

from deskbridge.runtime.errors import details_of
from deskbridge.runtime.server import refuse_insecure
from deskbridge.runtime.settings import BackendConfig, ConfigError, Secret, Settings
from deskbridge.runtime.tls import channel_credentials
from deskbridge.sandbox.requestor import SandboxConfig, start_sandbox
from deskbridge.suite import start_runtime
from deskbridge.v1 import (
    backends_pb2,
    backends_pb2_grpc,
    changes_pb2,
    changes_pb2_grpc,
    common_pb2,
    identity_pb2,
    identity_pb2_grpc,
    tickets_pb2,
    tickets_pb2_grpc,
)

ISSUER, AUDIENCE = "https://id.example.test/", "deskbridge"
TOKEN = "ci-token-0123456789abcdef"


@pytest.fixture
def pki(tmp_path):
    """A CA, the server's certificate for 127.0.0.1, a JWT signing key and a policy file."""
    ca = trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    files = {
        "ca": tmp_path / "ca.pem",
        "cert": tmp_path / "server.pem",
        "key": tmp_path / "server.key",
        "jwks": tmp_path / "jwks.json",
        "token": tmp_path / "ci.token",
        "policy": tmp_path / "policy.toml",
    }
    ca.cert_pem.write_to_path(files["ca"])
    server.cert_chain_pems[0].write_to_path(files["cert"])
    server.private_key_pem.write_to_path(files["key"])
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    files["jwks"].write_text(json.dumps({"keys": [{**public, "kid": "k1", "use": "sig"}]}))
    files["token"].write_text(TOKEN + "\n")
    files["policy"].write_text(
        f'[jwt]\nissuer = "{ISSUER}"\naudience = "{AUDIENCE}"\njwks_file = "{files["jwks"]}"\n'
        '[jwt.roles]\nagent = ["tickets.read", "tickets.write"]\n'
        f'[[tokens]]\nname = "ci"\ntoken_file = "{files["token"]}"\n'
        'scopes = ["tickets.read", "tickets.write", "backends.read", "identity.write"]\n'
        '[[clients]]\ncommon_name = "billing.internal"\nscopes = ["backends.read"]\n'
    )
    return ca, key, files


def signed(key, **claims) -> str:
    now = int(time.time())
    body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "svc-a", "iat": now, "exp": now + 300}
    body.update(claims)
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": "k1"})


def bearer(token: str):
    return (("authorization", f"Bearer {token}"),)


def secured(tmp_path, files, *backends, mtls: bool = False, nats_url=None) -> Settings:
    return replace(
        settings_for(tmp_path, *backends, nats_url=nats_url),
        tls_cert_file=files["cert"],
        tls_key_file=files["key"],
        tls_client_ca_file=files["ca"] if mtls else None,
        auth_policy_file=files["policy"],
    )


HELPDESK = BackendConfig(
    name="helpdesk",
    vendor="requestor",
    base_url="http://127.0.0.1:9",
    credentials={"username": Secret("u"), "password": Secret("p")},
)


@pytest.fixture
async def server(tmp_path, pki):
    _, key, files = pki
    runtime = await start_runtime(secured(tmp_path, files, HELPDESK), ["all"])
    channel = grpc.aio.secure_channel(runtime.address, channel_credentials(files["ca"]))
    yield runtime, channel, key
    await channel.close()
    await runtime.stop()


async def test_no_credentials_is_unauthenticated_but_health_stays_open(server):
    _, channel, _ = server
    backends = backends_pb2_grpc.BackendServiceStub(channel)
    error = await rpc_error(backends.ListBackends(backends_pb2.ListBackendsRequest()))
    assert error.code() == grpc.StatusCode.UNAUTHENTICATED
    assert details_of(error)["ErrorInfo"].reason == "CREDENTIALS_MISSING"
    health = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest())
    assert health.status == health_pb2.HealthCheckResponse.SERVING
    reflection = channel.stream_stream(
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
        request_serializer=lambda b: b,
        response_deserializer=lambda b: b,
    )
    with pytest.raises(grpc.aio.AioRpcError) as off:
        async for _ in reflection(iter([b"\x3a\x00"])):
            pass
    assert off.value.code() == grpc.StatusCode.UNIMPLEMENTED  # off when authentication is on


async def test_an_api_token_gets_its_scopes_and_no_more(server):
    _, channel, _ = server
    backends = backends_pb2_grpc.BackendServiceStub(channel)
    listed = await backends.ListBackends(backends_pb2.ListBackendsRequest(), metadata=bearer(TOKEN))
    assert [b.name for b in listed.backends] == ["backends/helpdesk"]
    identity = identity_pb2_grpc.IdentityServiceStub(channel)
    denied = await rpc_error(
        identity.SetUserPassword(
            identity_pb2.SetUserPasswordRequest(
                name="backends/helpdesk/users/1", password="x" * 12
            ),
            metadata=bearer(TOKEN),
        )
    )
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    info = details_of(denied)["ErrorInfo"]
    assert (info.reason, info.metadata["scope"]) == ("MISSING_SCOPE", "identity.admin")
    wrong = await rpc_error(
        backends.ListBackends(backends_pb2.ListBackendsRequest(), metadata=bearer("not-" + TOKEN))
    )
    assert wrong.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_jwts_are_checked_for_signature_issuer_audience_and_expiry(server):
    _, channel, key = server
    tickets = tickets_pb2_grpc.TicketServiceStub(channel)
    request = tickets_pb2.GetTicketRequest(name="backends/helpdesk/tickets/1")
    # an agent's role grants tickets.read: the call passes the guard (the view has no NATS)
    passed = await rpc_error(
        tickets.GetTicket(request, metadata=bearer(signed(key, roles=["agent"])))
    )
    assert passed.code() == grpc.StatusCode.UNAVAILABLE
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for token, reason in (
        (signed(key, exp=int(time.time()) - 120), "TOKEN_EXPIRED"),
        (signed(key, aud="someone-else"), "TOKEN_INVALID"),
        (signed(key, iss="https://evil.example/"), "TOKEN_INVALID"),
        (signed(other, scope="tickets.read"), "TOKEN_INVALID"),
    ):
        error = await rpc_error(tickets.GetTicket(request, metadata=bearer(token)))
        assert error.code() == grpc.StatusCode.UNAUTHENTICATED, reason
        assert details_of(error)["ErrorInfo"].reason == reason
    scoped = await rpc_error(
        tickets.GetTicket(request, metadata=bearer(signed(key, scope="identity.read")))
    )
    assert scoped.code() == grpc.StatusCode.PERMISSION_DENIED
    assert details_of(scoped)["ErrorInfo"].metadata["scope"] == "tickets.read"


async def test_backend_scopes_limit_which_backends_a_caller_reaches(server):
    _, channel, key = server
    tickets = tickets_pb2_grpc.TicketServiceStub(channel)
    token = signed(key, scope="tickets.read backend:invgate")
    error = await rpc_error(
        tickets.GetTicket(
            tickets_pb2.GetTicketRequest(name="backends/helpdesk/tickets/1"), metadata=bearer(token)
        )
    )
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED
    assert details_of(error)["ErrorInfo"].metadata["scope"] == "backend:helpdesk"


async def test_mtls_needs_a_client_certificate_and_maps_its_name_to_scopes(tmp_path, pki):
    ca, _, files = pki
    runtime = await start_runtime(secured(tmp_path, files, HELPDESK, mtls=True), ["backends"])
    try:
        client = ca.issue_cert("billing.internal", common_name="billing.internal")
        client.private_key_and_cert_chain_pem.write_to_path(tmp_path / "client.pem")
        credentials = channel_credentials(
            files["ca"], tmp_path / "client.pem", tmp_path / "client.pem"
        )
        async with grpc.aio.secure_channel(runtime.address, credentials) as channel:
            listed = await backends_pb2_grpc.BackendServiceStub(channel).ListBackends(
                backends_pb2.ListBackendsRequest()
            )
            assert [b.name for b in listed.backends] == ["backends/helpdesk"]
        async with grpc.aio.secure_channel(
            runtime.address, channel_credentials(files["ca"])
        ) as bare:
            error = await rpc_error(
                backends_pb2_grpc.BackendServiceStub(bare).ListBackends(
                    backends_pb2.ListBackendsRequest(), timeout=5
                )
            )
            assert error.code() == grpc.StatusCode.UNAVAILABLE  # no handshake without a cert
    finally:
        await runtime.stop()


async def test_a_rotated_certificate_is_served_to_new_connections(server, pki):
    runtime, _, _ = server
    _, _, files = pki
    rotated = trustme.CA()
    certificate = rotated.issue_cert("127.0.0.1")
    certificate.private_key_pem.write_to_path(files["key"])
    certificate.cert_chain_pems[0].write_to_path(files["cert"])
    rotated.cert_pem.write_to_path(files["ca"].with_name("rotated.pem"))
    trusting = channel_credentials(files["ca"].with_name("rotated.pem"))
    async with grpc.aio.secure_channel(runtime.address, trusting) as fresh:
        health = await health_pb2_grpc.HealthStub(fresh).Check(health_pb2.HealthCheckRequest())
        assert health.status == health_pb2.HealthCheckResponse.SERVING


async def test_the_caller_is_in_the_events_it_causes(tmp_path, pki, nats_server):
    _, _, files = pki
    sandbox = await start_sandbox(SandboxConfig())
    backend = BackendConfig(
        name="sec",
        vendor="requestor",
        base_url=sandbox.url,
        credentials={"username": Secret("deskbridge"), "password": Secret("sandbox-password")},
    )
    runtime = await start_runtime(
        secured(tmp_path, files, backend, nats_url=nats_server.url), ["all"]
    )
    try:
        async with grpc.aio.secure_channel(
            runtime.address, channel_credentials(files["ca"])
        ) as channel:
            made = await tickets_pb2_grpc.TicketServiceStub(channel).CreateTicket(
                tickets_pb2.CreateTicketRequest(
                    parent="backends/sec",
                    ticket=tickets_pb2.Ticket(
                        title="Secured",
                        description="with a token",
                        vendor_type=common_pb2.VendorValue(id="1"),
                        service="backends/sec/services/1",
                        requester_email="a@example.com",
                    ),
                ),
                metadata=bearer(TOKEN),
            )
        events = await stored_events(nats_server.url, "sec")
        mine = [e for e in events if e.headers["ce-subject"] == made.ticket.name]
        assert [decoded(e).actor for e in mine] == ["token:ci"]
    finally:
        await runtime.stop()
        await sandbox.stop()


def test_serve_refuses_an_open_non_loopback_address_unless_told_insecure(pki):
    _, _, files = pki
    open_wide = Settings(grpc_address="0.0.0.0:50051")
    with pytest.raises(ConfigError, match="DESKBRIDGE_INSECURE"):
        refuse_insecure(open_wide)
    with pytest.raises(ConfigError, match="DESKBRIDGE_AUTH_POLICY_FILE"):
        refuse_insecure(replace(open_wide, tls_cert_file=files["cert"], tls_key_file=files["key"]))
    refuse_insecure(replace(open_wide, insecure=True))
    refuse_insecure(Settings(grpc_address="127.0.0.1:50051"))
    refuse_insecure(
        replace(
            open_wide,
            tls_cert_file=files["cert"],
            tls_key_file=files["key"],
            auth_policy_file=files["policy"],
        )
    )


async def test_a_caller_beyond_its_rate_is_told_when_to_retry(tmp_path):
    settings = replace(settings_for(tmp_path, HELPDESK), caller_rate=1.0, caller_burst=2)
    runtime = await start_runtime(settings, ["backends"])
    try:
        async with grpc.aio.insecure_channel(runtime.address) as channel:
            stub = backends_pb2_grpc.BackendServiceStub(channel)
            for _ in range(2):
                await stub.ListBackends(backends_pb2.ListBackendsRequest())
            error = await rpc_error(stub.ListBackends(backends_pb2.ListBackendsRequest()))
            assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            assert details_of(error)["RetryInfo"].retry_delay.ToNanoseconds() > 0
            health = await health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest()
            )
            assert health.status == health_pb2.HealthCheckResponse.SERVING  # never limited
    finally:
        await runtime.stop()


async def test_a_request_over_the_message_limit_is_refused(tmp_path):
    runtime = await start_runtime(settings_for(tmp_path, HELPDESK), ["tickets"])
    try:
        async with grpc.aio.insecure_channel(
            runtime.address, options=[("grpc.max_send_message_length", 64 * 1024 * 1024)]
        ) as channel:
            huge = tickets_pb2.CreateTicketRequest(
                parent="backends/helpdesk",
                ticket=tickets_pb2.Ticket(description="x" * (33 * 1024 * 1024)),
            )
            error = await rpc_error(tickets_pb2_grpc.TicketServiceStub(channel).CreateTicket(huge))
            assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED  # 32 MiB, README
    finally:
        await runtime.stop()


async def test_jwt_keys_fetched_from_a_jwks_url(tmp_path, pki):
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    from deskbridge.runtime.asgi import start_asgi

    _, key, files = pki
    served = []

    async def jwks(request):
        served.append(1)
        return Response(files["jwks"].read_bytes(), media_type="application/json")

    issuer = await start_asgi(Starlette(routes=[Route("/jwks.json", jwks)]))
    policy = tmp_path / "url-policy.toml"
    policy.write_text(
        f'[jwt]\nissuer = "{ISSUER}"\naudience = "{AUDIENCE}"\n'
        f'jwks_url = "{issuer.url}/jwks.json"\n'
    )
    settings = replace(settings_for(tmp_path, HELPDESK), auth_policy_file=policy)
    runtime = await start_runtime(settings, ["backends"])
    try:
        async with grpc.aio.insecure_channel(runtime.address) as channel:
            stub = backends_pb2_grpc.BackendServiceStub(channel)
            for _ in range(3):
                token = signed(key, scope="backends.read", jti=str(time.monotonic_ns()))
                listed = await stub.ListBackends(
                    backends_pb2.ListBackendsRequest(), metadata=bearer(token)
                )
                assert [b.name for b in listed.backends] == ["backends/helpdesk"]
        assert len(served) == 1  # the keys are cached
    finally:
        await runtime.stop()
        await issuer.stop()


async def test_under_tls_kubelet_probes_have_a_plaintext_health_only_port(tmp_path, pki):
    _, _, files = pki
    settings = replace(secured(tmp_path, files, HELPDESK), health_address="127.0.0.1:0")
    runtime = await start_runtime(settings, ["backends"])
    try:
        async with grpc.aio.insecure_channel(runtime.grpc.probe_address) as plain:
            health = await health_pb2_grpc.HealthStub(plain).Check(health_pb2.HealthCheckRequest())
            assert health.status == health_pb2.HealthCheckResponse.SERVING
            error = await rpc_error(
                backends_pb2_grpc.BackendServiceStub(plain).ListBackends(
                    backends_pb2.ListBackendsRequest()
                )
            )
            assert error.code() == grpc.StatusCode.UNIMPLEMENTED  # health and nothing else
    finally:
        await runtime.stop()


async def test_watch_is_authenticated_and_needs_the_read_scope_of_each_kind(server):
    _, channel, _ = server
    stub = changes_pb2_grpc.ChangeServiceStub(channel)

    async def watch_error(metadata=(), **request):
        call = stub.Watch(
            changes_pb2.WatchRequest(parent="backends/helpdesk", **request), metadata=metadata
        )
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            async for _ in call:
                pass
        return caught.value

    anonymous = await watch_error()
    assert anonymous.code() == grpc.StatusCode.UNAUTHENTICATED
    users = await watch_error(bearer(TOKEN), resource_kinds=["user"])  # token: no identity.read
    assert users.code() == grpc.StatusCode.PERMISSION_DENIED
    info = details_of(users)["ErrorInfo"]
    assert (info.reason, info.metadata["scope"]) == ("MISSING_SCOPE", "identity.read")
    # tickets.read suffices for tickets; this server has no NATS, which is the next answer
    tickets = await watch_error(bearer(TOKEN), resource_kinds=["ticket", "comment"])
    assert tickets.code() == grpc.StatusCode.FAILED_PRECONDITION
