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

    def count(code: str) -> float:
        return (
            REGISTRY.get_sample_value(
                "deskbridge_rpc_seconds_count",
                {"rpc": "test.Probe/BadInput", "backend": "", "code": code},
            )
            or 0.0
        )

    before = count("INVALID_ARGUMENT")
    with pytest.raises(grpc.aio.AioRpcError):
        await channel.unary_unary("/test.Probe/BadInput")(b"")
    assert count("INVALID_ARGUMENT") == before + 1
