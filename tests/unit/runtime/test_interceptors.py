"""The interceptor over real gRPC: request ids, error details, INTERNAL without internals."""

import grpc
import pytest

from deskbridge.runtime.errors import FieldViolation, details_of, invalid_argument
from deskbridge.runtime.interceptors import REQUEST_ID_KEY, ServerInterceptor


async def _ok(request: bytes, context) -> bytes:
    return request


async def _bad_input(request: bytes, context) -> bytes:
    raise invalid_argument(
        [
            FieldViolation("ticket.title", "is required"),
            FieldViolation("page_size", "must not be negative"),
        ]
    )


async def _bug(request: bytes, context) -> bytes:
    raise RuntimeError("secret internals /etc/passwd")


@pytest.fixture
async def channel():
    server = grpc.aio.server(interceptors=[ServerInterceptor()])
    handlers = {
        name: grpc.unary_unary_rpc_method_handler(fn)
        for name, fn in {"Ok": _ok, "BadInput": _bad_input, "Bug": _bug}.items()
    }
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler("test.Probe", handlers)])
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as ch:
        yield ch
    await server.stop(0)


async def test_request_id_is_echoed_or_generated(channel):
    call = channel.unary_unary("/test.Probe/Ok")(b"hi", metadata=((REQUEST_ID_KEY, "abc-1"),))
    assert await call == b"hi"
    assert dict(await call.trailing_metadata())[REQUEST_ID_KEY] == "abc-1"
    call = channel.unary_unary("/test.Probe/Ok")(b"x")
    await call
    assert len(dict(await call.trailing_metadata())[REQUEST_ID_KEY]) == 32


async def test_api_error_carries_error_info_and_field_violations(channel):
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await channel.unary_unary("/test.Probe/BadInput")(b"")
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    details = details_of(caught.value)
    assert details["ErrorInfo"].domain == "deskbridge"
    fields = [v.field for v in details["BadRequest"].field_violations]
    assert fields == ["ticket.title", "page_size"]


async def test_unexpected_exception_is_internal_with_request_id_only(channel):
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await channel.unary_unary("/test.Probe/Bug")(b"", metadata=((REQUEST_ID_KEY, "r-42"),))
    assert caught.value.code() == grpc.StatusCode.INTERNAL
    assert "r-42" in caught.value.details()
    assert "passwd" not in caught.value.details() and "RuntimeError" not in caught.value.details()
    assert details_of(caught.value)["ErrorInfo"].metadata["request_id"] == "r-42"


async def test_rpc_metrics_count_calls_by_code(channel):
    from prometheus_client import REGISTRY

    method = {"grpc_type": "unary", "grpc_service": "test.Probe", "grpc_method": "BadInput"}

    def sample(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, {**method, **labels}) or 0.0

    before = (
        sample("grpc_server_started_total"),
        sample("grpc_server_handled_total", grpc_code="INVALID_ARGUMENT"),
        sample("grpc_server_handling_seconds_count", backend=""),
    )
    with pytest.raises(grpc.aio.AioRpcError):
        await channel.unary_unary("/test.Probe/BadInput")(b"")
    after = (
        sample("grpc_server_started_total"),
        sample("grpc_server_handled_total", grpc_code="INVALID_ARGUMENT"),
        sample("grpc_server_handling_seconds_count", backend=""),
    )
    assert after == tuple(value + 1 for value in before)
    assert sample("grpc_server_handled_total", grpc_code="OK") == 0.0


@pytest.mark.parametrize(("level", "lines"), [("info", 1), ("warning", 0)])
async def test_access_log_line_only_when_info_is_logged(level, lines, capsys, monkeypatch):
    import json

    import structlog

    from deskbridge.runtime import interceptors
    from deskbridge.runtime.logging import configure_logging

    configure_logging(level)  # before the server's first call, as in a service process
    # A fresh proxy: the module's own one keeps the logger of the first configuration.
    monkeypatch.setattr(interceptors, "log", structlog.get_logger("deskbridge.access"))
    server = grpc.aio.server(interceptors=[ServerInterceptor()])
    handlers = {"Ok": grpc.unary_unary_rpc_method_handler(_ok)}
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler("test.Probe", handlers)])
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as ch:
            await ch.unary_unary("/test.Probe/Ok")(b"x", metadata=((REQUEST_ID_KEY, "log-1"),))
    finally:
        await server.stop(0)
        structlog.reset_defaults()
    access = [
        json.loads(line)
        for line in capsys.readouterr().err.splitlines()
        if line.startswith("{") and '"event": "rpc"' in line
    ]
    assert len(access) == lines
    assert all(a["request_id"] == "log-1" and a["status"] == "OK" for a in access)
