"""Vendor calls through an egress proxy (HTTP_PROXY / HTTPS_PROXY / NO_PROXY), against a real
forward proxy, a real TLS origin and the InvGate sandbox on loopback."""

from __future__ import annotations

import base64
import ssl

import grpc
import httpx
import pytest
import structlog
import trustme
from egress_support import ForwardProxy, Origin

from deskbridge.runtime.errors import ApiError
from deskbridge.runtime.http1 import ConnectError, ConnectionPool, Proxy, environment_proxy
from deskbridge.runtime.settings import BackendConfig, Secret
from deskbridge.runtime.upstream import BasicAuth, upstream_for
from deskbridge.sandbox.invgate import SandboxConfig, start_sandbox
from deskbridge.vendors.invgate.auth import client_credentials
from deskbridge.vendors.invgate.client import InvGateClient

USER, PASSWORD = "egress", "pr0xy-p@ss:w/rd"  # characters that must be percent-encoded
VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture
def proxy_env(monkeypatch):
    """Set proxy variables on a clean slate: `proxy_env(HTTPS_PROXY=..., NO_PROXY=...)`."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)

    def set_env(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return set_env


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
async def tls_origin(ca):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    origin = await Origin(context).start()
    yield origin
    origin.stop()


@pytest.fixture
async def plain_origin():
    origin = await Origin().start()
    yield origin
    origin.stop()


@pytest.fixture
async def proxy():
    running = await ForwardProxy(credentials=(USER, PASSWORD)).start()
    yield running
    await running.stop()


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


async def test_https_origin_through_a_connect_tunnel_kept_alive(proxy_env, proxy, tls_origin, ca):
    proxy_env(HTTPS_PROXY=proxy.url(USER, PASSWORD))
    pool = ConnectionPool(tls_origin.url + "/api", ssl_context=trusting(ca))
    try:
        first = (await pool.request("GET", "/v1/one?x=1")).json()
        second = (await pool.request("POST", "/v1/two", body=b"a=b")).json()
    finally:
        await pool.aclose()
    authority = tls_origin.url.removeprefix("https://")
    assert [(s.method, s.target) for s in proxy.seen] == [("CONNECT", authority)]  # 1 CONNECT
    assert proxy.connects[0].proxy_authorization == basic(USER, PASSWORD)
    assert tls_origin.connections == 1  # the second request reused the tunnel
    assert (first["target"], first["host"]) == ("/api/v1/one?x=1", authority)
    assert (second["method"], second["body"]) == ("POST", "a=b")
    # TLS is end to end: the proxy's credentials never reach the origin
    assert first["proxy_authorization"] is None and second["proxy_authorization"] is None


async def test_tls_is_verified_with_the_origin_through_the_tunnel(proxy_env, proxy, tls_origin):
    proxy_env(HTTPS_PROXY=proxy.url(USER, PASSWORD))
    pool = ConnectionPool(tls_origin.url)  # default trust: the test CA is unknown
    with pytest.raises(ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        await pool.request("GET", "/x")
    assert len(proxy.connects) == 1 and tls_origin.requests == []


async def test_http_origin_gets_absolute_form_requests(proxy_env, proxy, plain_origin):
    proxy_env(HTTP_PROXY=proxy.url(USER, PASSWORD), HTTPS_PROXY="http://127.0.0.1:9")
    pool = ConnectionPool(plain_origin.url + "/api")
    try:
        got = (await pool.request("GET", "/v1/one")).json()
        posted = (await pool.request("POST", "/v1/two", body=b"k=v")).json()
    finally:
        await pool.aclose()
    expected = [
        ("GET", f"{plain_origin.url}/api/v1/one"),
        ("POST", f"{plain_origin.url}/api/v1/two"),
    ]
    assert [(s.method, s.target) for s in proxy.seen] == expected
    assert all(
        s.proxy_authorization and s.proxy_authorization.startswith("Basic ") for s in proxy.seen
    )
    assert proxy.client_connections == 1 and plain_origin.connections == 1  # kept alive
    assert (got["target"], posted["body"]) == ("/api/v1/one", "k=v")
    assert got["proxy_authorization"] is None  # the proxy strips it; we sent it to the proxy


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "*", "example.com, 127.0.0.1:{port}"])
async def test_no_proxy_bypasses_the_proxy(proxy_env, proxy, tls_origin, ca, no_proxy):
    port = tls_origin.url.rsplit(":", 1)[1]
    proxy_env(HTTPS_PROXY=proxy.url(USER, PASSWORD), NO_PROXY=no_proxy.format(port=port))
    pool = ConnectionPool(tls_origin.url, ssl_context=trusting(ca))
    try:
        assert (await pool.request("GET", "/direct")).json()["target"] == "/direct"
    finally:
        await pool.aclose()
    assert pool.proxy is None and proxy.seen == [] and tls_origin.connections == 1


async def test_no_proxy_on_another_port_does_not_bypass(proxy_env, proxy, tls_origin, ca):
    proxy_env(HTTPS_PROXY=proxy.url(USER, PASSWORD), NO_PROXY="127.0.0.1:1")
    pool = ConnectionPool(tls_origin.url, ssl_context=trusting(ca))
    try:
        await pool.request("GET", "/x")
    finally:
        await pool.aclose()
    assert len(proxy.connects) == 1


@pytest.mark.parametrize(
    ("refusal", "credentials", "status"),
    [(None, (USER, "wrong-password"), 407), (None, None, 407), (403, None, 403), (502, None, 502)],
)
async def test_a_refused_connect_is_a_connect_error_naming_the_status(
    proxy_env, proxy, tls_origin, ca, refusal, credentials, status
):
    proxy.refuse_with = refusal
    url = proxy.url(*credentials) if credentials else proxy.url()
    proxy_env(HTTPS_PROXY=url)
    pool = ConnectionPool(tls_origin.url, ssl_context=trusting(ca))
    with pytest.raises(ConnectError) as caught:
        await pool.request("GET", "/x")
    message = str(caught.value)
    assert f"HTTP {status}" in message and f"127.0.0.1:{proxy.port}" in message
    assert "wrong-password" not in message and "wrong-password" not in repr(pool.proxy)
    assert tls_origin.requests == []


async def test_a_407_to_an_absolute_form_request_is_a_connect_error(proxy_env, proxy, plain_origin):
    proxy_env(HTTP_PROXY=proxy.url(USER, "wrong-password"))
    pool = ConnectionPool(plain_origin.url)
    with pytest.raises(ConnectError, match="HTTP 407 Proxy Authentication Required") as caught:
        await pool.request("POST", "/x", body=b"a=1")
    assert "wrong-password" not in str(caught.value)
    assert plain_origin.requests == [] and pool._idle == []
    await pool.aclose()


async def test_the_route_is_logged_without_credentials(proxy_env, proxy, plain_origin):
    proxy_env(HTTP_PROXY=proxy.url(USER, PASSWORD))
    with structlog.testing.capture_logs() as logs:
        ConnectionPool(plain_origin.url)
        ConnectionPool(plain_origin.url, trust_env=False)  # no proxy: nothing to say
    assert [(e["event"], e["proxy"], e["mode"]) for e in logs] == [
        ("upstream_proxy", f"127.0.0.1:{proxy.port}", "forward")
    ]
    assert PASSWORD not in repr(logs) and "pr0xy" not in repr(logs)


def test_unsupported_proxy_schemes_are_refused_without_their_credentials(proxy_env):
    proxy_env(HTTPS_PROXY="socks5://user:s3cret@socks.internal:1080")
    with pytest.raises(ValueError, match=r"socks5://socks\.internal") as caught:
        ConnectionPool("https://vendor.example.com")
    assert "s3cret" not in str(caught.value)


def test_no_proxy_variables_means_a_direct_pool(proxy_env):
    assert ConnectionPool("https://vendor.example.com").proxy is None


# The same environment, the same route as httpx (the OAuth token path) takes: NO_PROXY domain,
# leading-dot, port, IP and `*` rules, scheme-specific and ALL_PROXY variables, lower case first.
ROUTES = [
    ({"HTTPS_PROXY": "http://p:3128"}, "https://vendor.example.com/api"),
    ({"HTTPS_PROXY": "p:3128"}, "https://vendor.example.com"),
    ({"HTTP_PROXY": "http://p:3128"}, "https://vendor.example.com"),
    ({"HTTP_PROXY": "http://p:3128"}, "http://vendor.example.com:8080/x"),
    ({"ALL_PROXY": "http://a:1"}, "https://vendor.example.com"),
    ({"ALL_PROXY": "http://a:1", "HTTPS_PROXY": "http://s:2"}, "https://vendor.example.com"),
    ({"https_proxy": "http://low:1", "HTTPS_PROXY": "http://up:2"}, "https://v.example.com"),
    ({"HTTPS_PROXY": "http://u:p%40ss@p:3128"}, "https://vendor.example.com"),
    ({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "example.com"}, "https://vendor.example.com"),
    ({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "example.com"}, "https://example.com"),
    ({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "example.com"}, "https://badexample.com"),
    ({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": ".example.com"}, "https://v.example.com"),
    ({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": ".example.com"}, "https://example.com"),
    (
        {"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "v.example.com:8443"},
        "https://v.example.com:8443",
    ),
    ({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "v.example.com:8443"}, "https://v.example.com"),
    ({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "10.0.0.7"}, "https://10.0.0.7"),
    ({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "localhost"}, "https://localhost:8443"),
    ({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "a.org, *"}, "https://vendor.example.com"),
    ({"HTTPS_PROXY": "http://p:3128", "NO_PROXY": "http://v.example.com"}, "https://v.example.com"),
]


@pytest.mark.parametrize(("variables", "url"), ROUTES)
def test_the_route_is_the_one_httpx_takes(proxy_env, variables, url):
    proxy_env(**variables)
    ours = environment_proxy(url)
    transport = httpx.AsyncClient()._transport_for_url(httpx.URL(url))
    theirs = getattr(transport._pool, "_proxy_url", None)
    if theirs is None:
        assert ours is None
        return
    assert ours is not None and (ours.host, ours.port) == (theirs.host.decode(), theirs.port)
    sent = dict(transport._pool._proxy_headers).get(b"Proxy-Authorization")
    assert ours.authorization == (sent.decode() if sent else None)


def test_proxy_credentials_are_percent_decoded_and_kept_out_of_repr():
    proxy = Proxy.from_url("http://egress:p%40ss%3Aw%2Frd@proxy.internal:3128")
    assert proxy.authorization == basic("egress", "p@ss:w/rd")
    assert "p@ss" not in repr(proxy) and "cEBzc" not in repr(proxy)
    assert proxy.address == "proxy.internal:3128"


@pytest.fixture
async def invgate():
    sandbox = await start_sandbox(SandboxConfig(request_count=5))
    yield sandbox
    await sandbox.stop()


@pytest.mark.parametrize("bypass", [False, True])
async def test_a_vendor_call_and_its_oauth_token_take_the_same_route(
    proxy_env, proxy, invgate, bypass
):
    """The OAuth token (httpx) and the API call (the pool) both go through the proxy, or,
    under NO_PROXY, both go direct."""
    proxy_env(HTTP_PROXY=proxy.url(USER, PASSWORD), **({"NO_PROXY": "127.0.0.1"} if bypass else {}))
    config = BackendConfig(name="inv", vendor="invgate", base_url=invgate.url)
    auth = client_credentials(
        "/oauth/v2.0/access_token",
        Secret("deskbridge"),
        Secret("sandbox-secret"),
        "api.v1.sd.version:get",
    )
    upstream = upstream_for(config, auth)
    try:
        assert await InvGateClient(upstream).get("sd.version") == {"version": "v8.15.13"}
    finally:
        await upstream.aclose()
    expected = [
        ("POST", f"{invgate.url}/oauth/v2.0/access_token"),
        ("GET", f"{invgate.url}/api/v1/sd.version"),
    ]
    assert [(s.method, s.target) for s in proxy.seen] == ([] if bypass else expected)
    assert all(s.proxy_authorization for s in proxy.seen)
    log = (await httpx.AsyncClient(trust_env=False).get(f"{invgate.url}/_sandbox/requests")).json()
    assert [e["key"] for e in log if e["key"] == "sd.version"] == ["sd.version"]


async def test_a_proxy_refusing_a_vendor_call_is_unavailable_and_nothing_was_written(
    proxy_env, proxy, invgate
):
    proxy_env(HTTP_PROXY=proxy.url(USER, "wrong-password"))
    config = BackendConfig(name="inv", vendor="invgate", base_url=invgate.url)
    upstream = upstream_for(config, BasicAuth.of("api", "sandbox-token"))
    try:
        with pytest.raises(ApiError) as caught:
            await InvGateClient(upstream).post("incident", {"title": "never sent"})
    finally:
        await upstream.aclose()
    error = caught.value
    assert (error.code, error.reason) == (grpc.StatusCode.UNAVAILABLE, "UPSTREAM_UNREACHABLE")
    assert "HTTP 407" in error.message and "wrong-password" not in error.message
    assert error.may_have_written is False  # a create is safe to retry: the vendor never saw it
    assert [s.method for s in proxy.seen] == ["POST"]
