"""The connection options every gRPC command shares (cli/connect.py), against real secured
servers: TLS with a CA, a bearer token (call credentials over TLS, a header on plaintext),
mTLS, and the same options on `watch KIND`."""

from __future__ import annotations

from dataclasses import replace

import pytest
import trustme
from cli_support import deskbridge
from e2e_support import settings_for

from deskbridge.runtime.settings import BackendConfig, Secret
from deskbridge.suite import start_runtime

TOKEN = "ci-token-0123456789abcdef"  # one of tests/conftest.py SECRETS: never in any output
HELPDESK = BackendConfig(
    name="helpdesk",
    vendor="requestor",
    base_url="http://127.0.0.1:9",
    credentials={"username": Secret("u"), "password": Secret("p")},
)


@pytest.fixture
def pki(tmp_path):
    """A CA, the server's certificate, a client certificate, a token and a policy."""
    ca = trustme.CA()
    files = {name: tmp_path / name for name in ("ca.pem", "server.pem", "client.pem", "token")}
    ca.cert_pem.write_to_path(files["ca.pem"])
    ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(files["server.pem"])
    client = ca.issue_cert("billing.internal", common_name="billing.internal")
    client.private_key_and_cert_chain_pem.write_to_path(files["client.pem"])
    files["token"].write_text(TOKEN + "\n")
    files["policy"] = tmp_path / "policy.toml"
    files["policy"].write_text(
        f'[[tokens]]\nname = "ci"\ntoken_file = "{files["token"]}"\n'
        'scopes = ["tickets.read", "backends.read"]\n'
        '[[clients]]\ncommon_name = "billing.internal"\nscopes = ["backends.read"]\n'
    )
    return files


async def started(tmp_path, files, *, tls: bool, mtls: bool = False):
    settings = replace(
        settings_for(tmp_path, HELPDESK),
        tls_cert_file=files["server.pem"] if tls else None,
        tls_key_file=files["server.pem"] if tls else None,
        tls_client_ca_file=files["ca.pem"] if mtls else None,
        auth_policy_file=files["policy"],
    )
    return await start_runtime(settings, ["all"])


async def test_tls_with_a_token_file_or_the_token_in_the_environment(tmp_path, pki, monkeypatch):
    runtime = await started(tmp_path, pki, tls=True)
    try:
        over_tls = ("backends", "--address", runtime.address, "--tls-ca-file", str(pki["ca.pem"]))
        ran = await deskbridge(*over_tls, "--token-file", str(pki["token"]))
        assert ran.code == 0, ran.err
        assert [r["NAME"] for r in ran.table()] == ["helpdesk"]

        anonymous = await deskbridge(*over_tls)
        assert anonymous.code == 6
        assert anonymous.err.splitlines()[:2] == [
            f"deskbridge: UNAUTHENTICATED: {anonymous.err.splitlines()[0].split(': ', 2)[2]}",
            "  reason: CREDENTIALS_MISSING",
        ]
        plaintext = await deskbridge("backends", "--address", runtime.address, "--timeout", "3")
        assert plaintext.code == 7  # no TLS handshake: the server is unreachable this way

        monkeypatch.setenv("DESKBRIDGE_TOKEN", TOKEN)
        monkeypatch.setenv("DESKBRIDGE_TLS_CA_FILE", str(pki["ca.pem"]))
        from_env = await deskbridge("backends", "--address", runtime.address, "--json")
        assert from_env.code == 0 and from_env.json()["backends"][0]["name"] == "backends/helpdesk"
    finally:
        await runtime.stop()


async def test_mtls_client_certificate(tmp_path, pki):
    runtime = await started(tmp_path, pki, tls=True, mtls=True)
    try:
        ran = await deskbridge(
            "backends",
            "--address",
            runtime.address,
            "--tls-ca-file",
            str(pki["ca.pem"]),
            "--tls-cert-file",
            str(pki["client.pem"]),
            "--tls-key-file",
            str(pki["client.pem"]),
        )
        assert ran.code == 0, ran.err
        assert [r["NAME"] for r in ran.table()] == ["helpdesk"]
        half = await deskbridge(
            "backends", "--address", runtime.address, "--tls-cert-file", str(pki["client.pem"])
        )
        assert half.code == 2 and "--tls-key-file" in half.err
    finally:
        await runtime.stop()


async def test_plaintext_token_reaches_unary_calls_and_watch(tmp_path, pki):
    runtime = await started(tmp_path, pki, tls=False)  # authentication without TLS (loopback)
    try:
        plain = ("--address", runtime.address, "--token-file", str(pki["token"]))
        ran = await deskbridge("backends", *plain, "--json")
        assert ran.code == 0, ran.err
        # the token travels on the stream too: it is authenticated, and lacks identity.read
        users = await deskbridge("watch", "users", *plain)
        assert users.code == 6
        assert "PERMISSION_DENIED" in users.err and "  scope: identity.read" in users.err
        anonymous = await deskbridge("watch", "users", "--address", runtime.address)
        assert anonymous.code == 6 and "  reason: CREDENTIALS_MISSING" in anonymous.err
    finally:
        await runtime.stop()
