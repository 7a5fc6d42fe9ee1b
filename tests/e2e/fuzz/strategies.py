"""Hostile requests for every Deskbridge RPC, built from the protobuf descriptors (Hypothesis),
and the checks every answer is held to.

Shared by the bounded suite (tests/e2e/fuzz/test_fuzz_rpcs.py) and the long run
(`python -m benchmarks.fuzz`, which loads this file by path).

What is generated, per unary RPC of every `deskbridge.v1` service:

* request messages, drawn recursively from the input descriptor (depth ≤ 3): resource names
  (from the `google.api.resource` patterns: valid-looking ones under the stack's backend,
  huge/negative/odd ids, wrong backends, other types' names), free text with NUL and control
  characters, unicode, rare strings up to 200 KB; ints at 0, ±1 and the int32/int64 extremes;
  defined and undefined enum numbers; Timestamps and Durations in and out of range with bad
  nanos; FieldMasks with real and invalid paths; `page_token` forged every way we know
  (garbage, base64 of hostile JSON, unsigned and wrongly signed, and cursors minted by the
  server's own encoder, so bounds on cursor fields are exercised too); repeated fields of
  0..3 items (rarely 101); maps; `request_id`s sometimes reused across requests. Per RPC
  the mix (`Requests`) is wholly hostile requests, plausible ones (seeded ids, short text,
  valid tokens), and plausible ones with one field at any depth, or the page token, made
  hostile: those get past validation to the vendor code.
* raw request bodies that are not a valid request message: invalid UTF-8 in string fields
  (top-level and nested), truncated and overlong frames, random bytes.

What every answer must be (`problems_of`): never INTERNAL, UNKNOWN or DEADLINE_EXCEEDED; never
RESOURCE_EXHAUSTED unless ErrorInfo says the vendor rate-limited us; every non-OK status has
`grpc-status-details-bin` decoding as `google.rpc.Status` (same code) holding a
`google.rpc.ErrorInfo` of domain `deskbridge`, in trailers a default client accepts (8 KB
soft limit, else it sees RESOURCE_EXHAUSTED); every OK response decodes as the output message.
Every fifth call carries a hostile `x-request-id` suffix.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import contextlib
import dataclasses
import logging
import re
import time
import traceback
import uuid
import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import grpc
import structlog
from google.api import resource_pb2
from google.protobuf import descriptor as d
from google.protobuf import message_factory
from google.protobuf.message import DecodeError, Message
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from deskbridge.v1 import (
    approvals_pb2,
    backends_pb2,
    common_pb2,
    events_pb2,
    identity_pb2,
    knowledge_pb2,
    tickets_pb2,
)

F = d.FieldDescriptor
MODULES = (approvals_pb2, backends_pb2, common_pb2, events_pb2, identity_pb2, knowledge_pb2)
MODULES = (*MODULES, tickets_pb2)
DOMAIN = "deskbridge"
STATUS_DETAILS_KEY = "grpc-status-details-bin"
RATE_LIMIT_REASONS = frozenset({"UPSTREAM_RATE_LIMITED"})
FORBIDDEN = frozenset(
    {grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN, grpc.StatusCode.DEADLINE_EXCEEDED}
)
MAX_DEPTH = 3
# The client must not be what fails: a list of tickets the fuzz gave 200 KB titles is > 4 MB.
# Trailers are received whatever their size, and measured instead (`trailer_bytes`): a default
# client refuses trailers above 8 KB at random and above 16 KB always, as RESOURCE_EXHAUSTED.
CHANNEL_OPTIONS = (
    ("grpc.max_receive_message_length", -1),
    ("grpc.max_send_message_length", -1),
    ("grpc.max_metadata_size", 1 << 20),
    ("grpc.absolute_max_metadata_size", 1 << 20),
)
CLIENT_METADATA_SOFT_LIMIT = 8192

# ------------------------------------------------------------------------------ the RPCs


@dataclasses.dataclass(frozen=True)
class Rpc:
    service: d.ServiceDescriptor
    method: d.MethodDescriptor

    @property
    def path(self) -> str:
        return f"/{self.service.full_name}/{self.method.name}"

    @property
    def kind(self) -> str:
        return f"{self.service.name}.{self.method.name}"

    @property
    def request_class(self) -> type[Message]:
        return message_factory.GetMessageClass(self.method.input_type)

    @property
    def response_class(self) -> type[Message]:
        return message_factory.GetMessageClass(self.method.output_type)

    @property
    def streaming(self) -> bool:
        return self.method.client_streaming or self.method.server_streaming


def all_rpcs() -> list[Rpc]:
    """Every method of every `deskbridge.v1` service (grpc.health and reflection are not)."""
    return [
        Rpc(service, method)
        for module in MODULES
        for service in module.DESCRIPTOR.services_by_name.values()
        for method in service.methods
    ]


def unary_rpcs() -> list[Rpc]:
    return [rpc for rpc in all_rpcs() if not rpc.streaming]


# ------------------------------------------------------------------------------ resources


def _resources() -> tuple[dict[str, str], dict[str, str]]:
    """(resource type → pattern, message full name → pattern) from `google.api.resource`."""
    by_type: dict[str, str] = {}
    by_message: dict[str, str] = {}

    def visit(message: d.Descriptor) -> None:
        options = message.GetOptions()
        if options.HasExtension(resource_pb2.resource):
            resource = options.Extensions[resource_pb2.resource]
            if resource.pattern:
                by_type[resource.type] = resource.pattern[0]
                by_message[message.full_name] = resource.pattern[0]
        for nested in message.nested_types:
            visit(nested)

    for module in MODULES:
        for message in module.DESCRIPTOR.message_types_by_name.values():
            visit(message)
    return by_type, by_message


PATTERN_OF_TYPE, PATTERN_OF_MESSAGE = _resources()
_VARIABLE = re.compile(r"\{([a-z_]+)\}")
# Ids the seeded InvGate sandbox (SandboxConfig(request_count=40, seed=3)) has, by the pattern
# variable that names them; any other variable gets SEEDED_IDS.
SEEDED_IDS = ("1", "2", "3", "5", "11", "26", "101", "500", "1000", "1001", "1002", "9000")
IDS_BY_VARIABLE = {
    "ticket": [str(i) for i in range(1000, 1040, 3)],
    "user": ["1", "2", "4", "7", "100", "101", "102", "120", "149"],
    "attachment": ["9000", "9001", "9004", "9008"],
    "approval": ["500", "501", "502", "503", "504"],
    "approval_template": ["1002", "1021", "1019", "1039"],
    "ticket_category": ["1", "2", "5", "8"],
    "help_desk": ["1", "2", "3", "5"],
    "level": ["11", "12", "21", "43"],
    "group": ["1", "2", "5"],
    "company": ["1", "2", "3"],
    "location": ["1", "3", "6"],
    "internal_note": ["1", "2", "4"],
    "article": ["1", "2", "7", "12"],
    "article_category": ["1", "3", "5"],
    "announcement": ["1", "2", "3"],
    "update": ["1", "2"],
    "custom_field_definition": ["26", "27", "28", "29"],
}
HOSTILE_IDS = (
    "0",
    "-1",
    "-5",
    "12345678901234567890",
    "2147483648",
    "9223372036854775808",
    "18446744073709551616",
    "1.5",
    "1e3",
    "0x10",
    "+1",
    "01",
    "%31",
    "1%2F2",
    "~",
    "a",
    "1:2",
    "1@2",
    "=",
    "-",
    ".",
    "..",
    "١٢٣",
    " 1",
    "1\x00",
    "",
    "1/2",
)


REUSED_REQUEST_IDS = (
    "00000000-0000-4000-8000-000000000001",
    "00000000-0000-4000-8000-000000000002",
)


def weighted(*choices: tuple[int, st.SearchStrategy]) -> st.SearchStrategy:
    """One of the strategies, picked with the given relative weights."""
    pool = [strategy for weight, strategy in choices for _ in range(weight)]
    return st.sampled_from(pool).flatmap(lambda strategy: strategy)


def repeated_char(chars: Sequence[str], sizes: Sequence[int]) -> st.SearchStrategy[str]:
    """A long string cheaply (Hypothesis' buffer would overrun drawing 200 KB char by char)."""
    return st.builds(lambda c, n: (c * n)[:n], st.sampled_from(chars), st.sampled_from(sizes))


HUGE_DIGITS = st.just("9" * 5000)
LONG_TEXT = repeated_char(["A", "é", "🎫", "\x00", "ab\r\n", "<b>x</b>", "e\u0301"], [8192, 65_536])
HUGE_TEXT = repeated_char(["A", "é", "\x00"], [200_000])
# Just past the bounds errors quote (300, 1000 characters), in 1..4-byte UTF-8.
CAP_TEXT = repeated_char(["x", "é", "€", "🎫", "%", "\x01"], [41, 129, 301, 1001, 2049])
FREE_TEXT = st.text(max_size=40)
HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\r\n\r\nX-Injected: 1",
        "\x1b[31mred",
        "\t\x0b\x0c",
        "\x7f\x01\x02",
        "\u2028\u2029",
        "\ufeffbom",
        "\u202eevil",
        "\U0010ffff",
        "\ud7ff\ue000",
        "🎫🔥" * 20,
        "e\u0301" * 30,
        "日本語のテキスト",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "%00%2e%2e%2f",
        "{{7*7}}${7*7}",
        "${jndi:ldap://127.0.0.1/a}",
        "%s%n%x",
        "\\",
        '"',
        "null",
        "NaN",
        "-1",
        "1e309",
        "0000-00-00",
        "9999-12-31T23:59:60Z",
        "a@b.c",
        "@",
        "x" * 300 + "@example.com",
        "http://127.0.0.1:9/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "(.*[",
        "*",
        "?",
        "#",
        "&a=b",
        "a=b&c",
        "[]",
        "{}",
    ]
)
TEXT = weighted(
    (40, FREE_TEXT),
    (50, HOSTILE_TEXT),
    (6, HUGE_DIGITS),
    (6, CAP_TEXT),
    (3, LONG_TEXT),
    (1, HUGE_TEXT),
)


def _parent_pattern(pattern: str) -> str:
    """`backends/{backend}/tickets/{ticket}/comments/{comment}` → the ticket's pattern."""
    return pattern.rsplit("/", 2)[0]


PLAIN_TEXT = weighted(
    (3, st.sampled_from(["Printer broken", "VPN down", "hello", "Ana García", "x", "Q3 report"])),
    (2, st.text(alphabet=st.characters(categories=("L", "N", "Zs")), min_size=1, max_size=20)),
)


class Hostile:
    """Request strategies for one stack: names are mostly under its `backend`.

    `plausible=True` draws values a well-behaved client would send (seeded ids, short text,
    defined enums, in-range times, minted page tokens), so that requests get past validation
    and reach the vendor code; `requests(backend)` mixes the two.
    """

    def __init__(self, backend: str, *, plausible: bool = False) -> None:
        self.backend = backend
        self.plausible = plausible
        self._messages: dict[tuple[str, int, bool], st.SearchStrategy] = {}
        all_patterns = sorted(set(PATTERN_OF_TYPE.values()))
        self._ids = {
            variable: st.sampled_from(IDS_BY_VARIABLE.get(variable, SEEDED_IDS))
            for variable in {v for p in all_patterns for v in _VARIABLE.findall(p)}
        }
        if plausible:
            self.backends = st.just(backend)
            self.text = PLAIN_TEXT
        else:
            self._ids = {
                variable: weighted(
                    (6, seeded),
                    (3, st.sampled_from(HOSTILE_IDS)),
                    (1, HUGE_DIGITS),
                    (1, CAP_TEXT),
                    (1, st.integers(-(2**70), 2**70).map(str)),
                )
                for variable, seeded in self._ids.items()
            }
            self.backends = weighted(
                (12, st.just(backend)),
                (
                    1,
                    st.sampled_from(["nope", backend.upper(), backend + "x", "", "%2e", "a" * 300]),
                ),
            )
            self.text = TEXT
        self.any_name = st.sampled_from(all_patterns).flatmap(self.valid_name)
        directory = [p for p in all_patterns if p.count("/") == 3 and "/tickets/" not in p]
        self.directory_name = st.sampled_from(directory).flatmap(self.valid_name)
        self.hostile_name = weighted(
            (4, st.sampled_from(["", "backends", "backends/", "/", "//", "tickets/1"])),
            (2, st.just(f"backends/{backend}")),
            (2, st.just(f"backends/{backend}/")),
            (3, self.any_name),  # another type's name
            (2, self.any_name.map(lambda n: n + "/")),
            (2, self.any_name.map(lambda n: n.replace("/", "//", 1))),
            (2, self.any_name.map(lambda n: n + "/../1")),
            (2, self.any_name.map(lambda n: "/" + n)),
            (2, self.any_name.map(lambda n: n + "\x00")),
            (2, st.sampled_from(all_patterns)),  # the literal pattern, braces and all
            (3, TEXT),
            (2, CAP_TEXT),
            (1, st.just("backends/" + "x" * 100_000)),
        )

    # -- names

    def valid_name(self, pattern: str) -> st.SearchStrategy[str]:
        variables = _VARIABLE.findall(pattern)
        parts = [self.backends if v == "backend" else self._ids[v] for v in variables]
        return st.tuples(*parts).map(
            lambda values: pattern.format_map(dict(zip(variables, values, strict=True)))
        )

    def names(self, pattern: str) -> st.SearchStrategy[str]:
        if self.plausible:
            return self.valid_name(pattern)
        return weighted((7, self.valid_name(pattern)), (3, self.hostile_name))

    def request_ids(self) -> st.SearchStrategy[str]:
        reused = st.sampled_from(REUSED_REQUEST_IDS)  # the same id, other requests
        if self.plausible:
            return weighted((4, st.uuids().map(str)), (1, reused))
        return weighted(
            (6, st.uuids().map(str)),
            (2, reused),
            (1, st.just(str(uuid.UUID(int=0)))),
            (1, st.uuids().map(lambda u: str(u).upper())),
            (1, st.uuids().map(lambda u: u.hex)),
            (3, TEXT),
        )

    # -- scalars

    def string(self, field: d.FieldDescriptor, container: d.Descriptor) -> st.SearchStrategy:
        options = field.GetOptions()
        reference = options.Extensions[resource_pb2.resource_reference]
        if reference.type in PATTERN_OF_TYPE:
            return self.names(PATTERN_OF_TYPE[reference.type])
        if reference.child_type in PATTERN_OF_TYPE:
            return self.names(_parent_pattern(PATTERN_OF_TYPE[reference.child_type]))
        if reference.type or reference.child_type:  # e.g. "backends/{backend}" (Backend)
            return self.names("backends/{backend}")
        if field.name == "name" and container.full_name in PATTERN_OF_MESSAGE:
            return self.names(PATTERN_OF_MESSAGE[container.full_name])
        if field.name == "request_id":
            return self.request_ids()
        if field.name == "page_token":
            return self.page_tokens(None)
        if "email" in field.name:
            if self.plausible:
                return st.sampled_from(["ana@example.com", "it.desk@example.org"])
            return weighted((3, st.emails()), (2, TEXT))
        if field.name in ("name", "parent", "names") or field.name.endswith("_resource"):
            if self.plausible:  # e.g. ListMembers.name: a group, company, location, help desk
                return self.directory_name
            return weighted((5, self.directory_name), (3, self.any_name), (2, self.hostile_name))
        if field.name == "backend" or field.name.endswith("_name"):
            return weighted((5, self.any_name), (5, self.text))
        return weighted((6, self.text), (1, self.any_name), (1, st.sampled_from(SEEDED_IDS)))

    def scalar(self, field: d.FieldDescriptor, container: d.Descriptor) -> st.SearchStrategy:
        kind = field.type
        if kind == F.TYPE_STRING:
            return self.string(field, container)
        if kind == F.TYPE_BOOL:
            return st.booleans()
        if kind == F.TYPE_ENUM:
            defined = [v.number for v in field.enum_type.values]
            if self.plausible:
                return st.sampled_from([n for n in defined if n] or defined)
            undefined = [7, 99, -1, 2**31 - 1, -(2**31), max(defined) + 1]
            return weighted(
                (6, st.sampled_from(defined)), (2, st.sampled_from(undefined)), (1, INT32)
            )
        if self.plausible:
            if kind == F.TYPE_BYTES:
                return st.sampled_from([b"hello", b"%PDF-1.4\n%%EOF\n", b"\x89PNG\r\n"])
            if kind in (F.TYPE_DOUBLE, F.TYPE_FLOAT):
                return st.sampled_from([0.0, 0.5, 1.0, 4.5])
            return st.integers(0, 100)
        if kind == F.TYPE_BYTES:
            return weighted(
                (4, st.binary(max_size=64)),
                (2, st.sampled_from([b"", b"\x00", b"\xff\xfe", b"%PDF-1.4\n", b"MZ\x90"])),
                (1, st.sampled_from([b"\x00" * 65_536, b"A" * 200_000])),
            )
        if kind in (F.TYPE_DOUBLE, F.TYPE_FLOAT):
            width = 64 if kind == F.TYPE_DOUBLE else 32
            odd = [float("nan"), float("inf"), float("-inf"), 3.4e38, -3.4e38, 1e-45]
            return weighted(
                (3, st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, 5.0])),
                (2, st.sampled_from(odd)),
                (2, st.floats(width=width)),
            )
        return INTS[kind]

    # -- messages

    def message(self, descriptor: d.Descriptor, depth: int = 0, top: bool = False):
        key = (descriptor.full_name, depth, top)
        if key not in self._messages:
            special = WELL_KNOWN.get(descriptor.full_name)
            self._messages[key] = (
                special(self, descriptor) if special else self._build(descriptor, depth, top)
            )
        return self._messages[key]

    def request(self, rpc: Rpc) -> st.SearchStrategy[Message]:
        return self.message(rpc.method.input_type, 0, top=True)

    def _value(self, field, container, depth) -> st.SearchStrategy | None:
        """A strategy for one element of `field`, None when too deep to go on."""
        if field.type == F.TYPE_MESSAGE:
            if depth >= MAX_DEPTH and field.message_type.full_name not in WELL_KNOWN:
                return None
            if field.message_type.full_name == "google.protobuf.FieldMask":
                return field_masks(container, plausible=self.plausible)
            return st.deferred(lambda: self.message(field.message_type, depth + 1))
        return self.scalar(field, container)

    def plan(self, field, container, depth: int, top: bool):
        """(how, strategy, chance in 20 of being set) for `field`, None to leave it out."""
        if _is_map(field):
            key_field = field.message_type.fields_by_name["key"]
            value = self._value(field.message_type.fields_by_name["value"], container, depth)
            if value is None:
                return None
            entries = st.dictionaries(self.scalar(key_field, container), value, max_size=3)
            return "map", entries, 5
        value = self._value(field, container, depth)
        if value is None:
            return None
        routing = top and field.name in ("name", "parent", "names")
        if self.plausible:  # most fields set: required ones are what gets past validation
            chance = 20 if routing else (16 if top else 12)
        else:
            chance = 19 if routing else (10 if top else 7)
        if field.is_repeated:
            if self.plausible:
                return "repeated", st.lists(value, min_size=1, max_size=2), chance
            many = value.map(lambda x: [x] * 101)
            return "repeated", weighted((30, st.lists(value, max_size=3)), (1, many)), chance
        return "single", value, chance

    def _build(self, descriptor: d.Descriptor, depth: int, top: bool):
        cls = message_factory.GetMessageClass(descriptor)
        plans = []
        for field in descriptor.fields:
            if top and field.name == "page_token":
                continue  # drawn last: a token is bound to the rest of the request
            planned = self.plan(field, descriptor, depth, top)
            if planned is not None:
                plans.append((field, *planned))
        tokens = top and "page_token" in descriptor.fields_by_name

        @st.composite
        def build(draw):
            message = cls()
            for field, how, strategy, chance in plans:
                if draw(st.integers(0, 19)) < chance:
                    put(message, field, how, draw(strategy))
            if tokens and draw(st.integers(0, 9)) < 6:
                message.page_token = draw(self.page_tokens(message))
            return message

        return build()

    # -- page tokens

    def page_tokens(self, request: Message | None) -> st.SearchStrategy[str]:
        if self.plausible:
            if request is None:
                return st.just("")
            from deskbridge.runtime import paging

            cursors = st.one_of(
                st.builds(dict, offset=st.integers(0, 120)),
                st.builds(dict, page=st.integers(1, 3)),
            )
            minted = cursors.map(lambda c: paging.encode_page_token(c, request))
            return weighted((1, st.just("")), (2, minted))
        return page_tokens(request)


def put(message: Message, field: d.FieldDescriptor, how: str, value: Any) -> None:
    """Set `field` of `message` to a drawn value (`how`: single, repeated or map)."""
    target = getattr(message, field.name)
    if how == "single":
        if field.type == F.TYPE_MESSAGE:
            target.CopyFrom(value)
        else:
            setattr(message, field.name, value)
    elif how == "repeated":
        if field.type == F.TYPE_MESSAGE:
            for item in value:
                target.add().CopyFrom(item)
        else:
            target.extend(value)
    else:
        value_field = field.message_type.fields_by_name["value"]
        for k, v in value.items():
            if value_field.type == F.TYPE_MESSAGE:
                target[k].CopyFrom(v)
            else:
                target[k] = v


class Requests:
    """Per RPC, a mix: wholly hostile requests, plausible ones, plausible ones with one field
    (at any depth) replaced by a hostile value, and plausible ones with a hostile page token;
    the last two are what reach the code behind validation."""

    def __init__(self, backend: str) -> None:
        self.hostile = Hostile(backend)
        self.plausible = Hostile(backend, plausible=True)

    def for_rpc(self, rpc: Rpc) -> st.SearchStrategy[Message]:
        descriptor = rpc.method.input_type
        plausible = self.plausible.request(rpc)
        if not descriptor.fields:
            return plausible
        hostile = self.hostile

        @st.composite
        def one_hostile_leaf(draw):
            message = draw(plausible)
            target, container = message, descriptor
            for depth in range(MAX_DEPTH):
                if not container.fields:
                    break
                field = draw(st.sampled_from(list(container.fields)))
                deeper = (
                    field.type == F.TYPE_MESSAGE
                    and not _is_map(field)
                    and field.message_type.full_name.startswith("deskbridge.")
                    and depth < MAX_DEPTH - 1
                )
                if deeper and draw(st.booleans()):
                    if field.is_repeated:
                        items = getattr(target, field.name)
                        target = items[0] if len(items) and draw(st.booleans()) else items.add()
                    else:
                        target = getattr(target, field.name)
                    container = field.message_type
                    continue
                target.ClearField(field.name)
                if field.name == "page_token" and depth == 0:
                    message.page_token = draw(hostile.page_tokens(message))
                    break
                planned = hostile.plan(field, container, depth, depth == 0)
                if planned is not None:
                    how, strategy, _ = planned
                    put(target, field, how, draw(strategy))
                break
            return message

        mixes = [(3, hostile.request(rpc)), (3, plausible), (5, one_hostile_leaf())]
        if "page_token" in descriptor.fields_by_name:

            @st.composite
            def hostile_token(draw):
                message = draw(plausible)
                message.page_token = draw(hostile.page_tokens(message))
                return message

            mixes.append((4, hostile_token()))
        return weighted(*mixes)


def _is_map(field: d.FieldDescriptor) -> bool:
    return (
        field.type == F.TYPE_MESSAGE
        and field.is_repeated
        and field.message_type.GetOptions().map_entry
    )


def _ints(low: int, high: int, extra: Iterable[int] = ()) -> st.SearchStrategy[int]:
    edges = sorted({v for v in (0, 1, -1, 2, 7, 10, 50, 100, 1000, 10**6, low, high, *extra)})
    edges = [v for v in edges if low <= v <= high]
    return weighted((3, st.sampled_from(edges)), (1, st.integers(low, high)))


INT32 = _ints(-(2**31), 2**31 - 1, [2**31 - 2, -(2**31) + 1])
INT64 = _ints(-(2**63), 2**63 - 1, [2**31, -(2**31) - 1, 2**53 + 1, 2**63 - 2])
UINT32 = _ints(0, 2**32 - 1, [2**31])
UINT64 = _ints(0, 2**64 - 1, [2**63])
INTS = {
    F.TYPE_INT32: INT32,
    F.TYPE_SINT32: INT32,
    F.TYPE_SFIXED32: INT32,
    F.TYPE_INT64: INT64,
    F.TYPE_SINT64: INT64,
    F.TYPE_SFIXED64: INT64,
    F.TYPE_UINT32: UINT32,
    F.TYPE_FIXED32: UINT32,
    F.TYPE_UINT64: UINT64,
    F.TYPE_FIXED64: UINT64,
}

# ------------------------------------------------------------------------------ well-known types

MIN_SECONDS, MAX_SECONDS = -62_135_596_800, 253_402_300_799  # 0001-01-01 .. 9999-12-31
BAD_NANOS = [-1, 1_000_000_000, 2**31 - 1, -(2**31)]


def _timestamps(hostile: Hostile, descriptor: d.Descriptor):
    cls = message_factory.GetMessageClass(descriptor)
    if hostile.plausible:
        return st.integers(1_600_000_000, 1_900_000_000).map(lambda s: cls(seconds=s))
    seconds = weighted(
        (4, st.sampled_from([0, 1, 1_700_000_000, 1_900_000_000, MIN_SECONDS, MAX_SECONDS])),
        (2, st.integers(MIN_SECONDS, MAX_SECONDS)),
        (3, st.sampled_from([MIN_SECONDS - 1, MAX_SECONDS + 1, 2**63 - 1, -(2**63), -1])),
    )
    nanos = weighted(
        (4, st.just(0)), (2, st.integers(0, 999_999_999)), (2, st.sampled_from(BAD_NANOS))
    )
    return st.builds(lambda s, n: cls(seconds=s, nanos=n), seconds, nanos)


def _durations(hostile: Hostile, descriptor: d.Descriptor):
    cls = message_factory.GetMessageClass(descriptor)
    if hostile.plausible:
        return st.integers(0, 86_400).map(lambda s: cls(seconds=s))
    limit = 315_576_000_000
    seconds = weighted(
        (4, st.sampled_from([0, 1, -1, 60, 86_400, limit, -limit])),
        (2, st.integers(-limit, limit)),
        (2, st.sampled_from([limit + 1, -limit - 1, 2**63 - 1, -(2**63)])),
    )
    nanos = weighted(
        (4, st.just(0)),
        (2, st.integers(-999_999_999, 999_999_999)),
        (2, st.sampled_from(BAD_NANOS)),
    )
    return st.builds(lambda s, n: cls(seconds=s, nanos=n), seconds, nanos)


def _json_values(depth: int = 2, plausible: bool = False) -> st.SearchStrategy:
    if plausible:
        return st.one_of(PLAIN_TEXT, st.integers(0, 100).map(float), st.booleans())
    leaves = weighted(
        (3, TEXT),
        (2, st.floats(allow_nan=False, allow_infinity=False)),
        (1, st.booleans()),
        (1, st.none()),
        (1, st.sampled_from([1e308, -1e308, 2.0**53 + 1])),
    )
    if depth == 0:
        return leaves
    inner = _json_values(depth - 1)
    return weighted(
        (4, leaves),
        (1, st.lists(inner, max_size=3)),
        (1, st.dictionaries(FREE_TEXT, inner, max_size=3)),
    )


def _structs(hostile: Hostile, descriptor: d.Descriptor):
    cls = message_factory.GetMessageClass(descriptor)

    def struct(values: dict) -> Message:
        message = cls()
        message.update(values)
        return message

    keys = PLAIN_TEXT if hostile.plausible else weighted((3, FREE_TEXT), (1, TEXT))
    values = _json_values(plausible=hostile.plausible)
    return st.dictionaries(keys, values, max_size=4).map(struct)


def _values(hostile: Hostile, descriptor: d.Descriptor):
    from google.protobuf import struct_pb2

    def value(v: object) -> Message:
        struct = struct_pb2.Struct()
        struct.update({"v": v})
        message = struct_pb2.Value()
        message.CopyFrom(struct.fields["v"])
        return message

    return _json_values(plausible=hostile.plausible).map(value)


WELL_KNOWN: dict[str, Callable[[Hostile, d.Descriptor], st.SearchStrategy]] = {
    "google.protobuf.Timestamp": _timestamps,
    "google.protobuf.Duration": _durations,
    "google.protobuf.Struct": _structs,
    "google.protobuf.Value": _values,
}


def field_masks(container: d.Descriptor, plausible: bool = False) -> st.SearchStrategy[Message]:
    """Masks naming the fields of the resource next to the mask, and paths no resource has."""
    from google.protobuf import field_mask_pb2

    targets = [
        f.message_type
        for f in container.fields
        if f.type == F.TYPE_MESSAGE
        and not f.is_repeated
        and f.message_type.full_name.startswith("deskbridge.")
    ]
    real = sorted({f.name for t in targets for f in t.fields}) or ["name"]
    nested = [
        f"{f.name}.{g.name}"
        for t in targets
        for f in t.fields
        if f.type == F.TYPE_MESSAGE
        for g in f.message_type.fields
    ][:40] or ["a.b"]
    bad = [
        "",
        "*",
        "no_such_field",
        "name.",
        ".name",
        "name..x",
        "title.x",
        "Title",
        "vendorRecord",
        "a" * 5000,
        "\x00",
        "é",
        "remote_data.*",
        "`name`",
    ]
    path = weighted(
        (5, st.sampled_from(real)), (2, st.sampled_from(nested)), (3, st.sampled_from(bad))
    )
    if plausible:
        path = st.sampled_from(real)
    return st.lists(path, max_size=4).map(lambda paths: field_mask_pb2.FieldMask(paths=paths))


# ------------------------------------------------------------------------------ page tokens


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


JSON_HOSTILE = [
    "-5",
    "-1",
    "0",
    "1.5",
    '"x"',
    '"10"',
    '"' + "9" * 5000 + '"',
    "9" * 5000,
    "1e400",
    "-1e400",
    "Infinity",
    "NaN",
    "null",
    "true",
    "[1]",
    '{"a":1}',
    str(2**63),
    str(10**30),
    '"' + "k" * 5000 + '"',
]
CURSOR_KEYS = ["offset", "page", "page_key"]
CURSOR_VALUES = [-5, -1, 0, 1, 1.5, "x", "10", "9" * 5000, None, True, [1], {"a": 1}]
CURSOR_VALUES += [2**63, 10**30, float("inf"), float("nan"), "k" * 5000, 50, 10**9 + 1]


def _documents(fp: str) -> st.SearchStrategy[str]:
    """Hostile JSON documents of the page-token shape, as text (some cannot be json.dumps'd)."""
    key = st.sampled_from(CURSOR_KEYS)
    value = st.sampled_from(JSON_HOSTILE)
    bound = st.sampled_from([fp, fp, fp, fp, "0" * 16, "", "x"])
    shaped = st.builds(
        lambda k, v, f: '{"c":{"%s":%s},"f":"%s"}' % (k, v, f),  # noqa: UP031
        key,
        value,
        bound,
    )
    odd = st.sampled_from(
        [
            '{"c":[],"f":"FP"}',
            '{"c":"x","f":"FP"}',
            '{"c":null,"f":"FP"}',
            '{"f":"FP"}',
            '{"c":{}}',
            '{"c":{},"f":null}',
            '{"c":{},"f":["FP"]}',
            "[]",
            "5",
            '"x"',
            "null",
            "{",
            "[" * 5000,
            '{"c":{"offset":0},"f":"FP","x":' + "[" * 3000 + "]" * 3000 + "}",
            '{"c":{"offset":0,"offset":-1},"f":"FP"}',
        ]
    ).map(lambda text: text.replace("FP", fp))
    return weighted((3, shaped), (2, odd))


def page_tokens(request: Message | None) -> st.SearchStrategy[str]:
    """Tokens this API did not issue for `request`, every way we know to forge one, and
    hostile cursors minted by the server's own encoder (the process is the same)."""
    from deskbridge.runtime import paging

    fp = paging.fingerprint(request) if request is not None else "0" * 16
    documents = _documents(fp)
    payloads = weighted(
        (6, documents.map(lambda text: _b64(text.encode()))),
        (1, documents.map(lambda text: base64.b64encode(text.encode()).decode())),  # +/ and =
        (1, st.just(_b64(b'{"c":{},"f":"\xff\xfe"}'))),  # not UTF-8
        (1, st.binary(max_size=48).map(_b64)),
    )
    macs = weighted(
        (3, st.just(None)),  # the unsigned format
        (2, st.binary(min_size=16, max_size=16).map(_b64)),
        (1, st.sampled_from(["", "=", "!!", "A" * 22, "." * 3, "\x00"])),
    )
    forged = st.builds(lambda p, m: p if m is None else f"{p}.{m}", payloads, macs)
    garbage = weighted(
        (3, st.sampled_from(["x", "abcde", "====", "!!!!", "\x00", "é", "a.b.c", ".", "..", " "])),
        (2, TEXT),
        (1, st.binary(max_size=64).map(_b64)),
        (1, st.just("A" * 200_000)),
    )
    choices = [(6, forged), (3, garbage)]
    if request is not None:
        cursors = st.dictionaries(
            weighted((5, st.sampled_from(CURSOR_KEYS)), (1, FREE_TEXT)),
            st.sampled_from(CURSOR_VALUES),
            min_size=1,
            max_size=2,
        )

        def mint(cursor: dict) -> str:
            try:
                return paging.encode_page_token(cursor, request)
            except (TypeError, ValueError):  # e.g. a value json.dumps refuses
                return paging.encode_page_token({}, request)

        choices.append((3, cursors.map(mint)))
    return weighted(*choices)


# ------------------------------------------------------------------------------ raw bodies


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _tag(number: int, wire: int) -> bytes:
    return _varint(number << 3 | wire)


def _delimited(number: int, payload: bytes) -> bytes:
    return _tag(number, 2) + _varint(len(payload)) + payload


BAD_UTF8 = [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"a\x80"]


def _string_fields(descriptor: d.Descriptor) -> list[d.FieldDescriptor]:
    return [f for f in descriptor.fields if f.type == F.TYPE_STRING]


def raw_bodies(rpc: Rpc) -> list[tuple[str, bytes]]:
    """(label, body) pairs that are not a valid request of `rpc`, chosen deterministically."""
    descriptor = rpc.method.input_type
    bodies: list[tuple[str, bytes]] = [
        ("invalid-tag", b"\xff" * 11),
        ("field-0", b"\x00\x01"),
        ("truncated-varint", b"\x08\xff\xff"),
        ("length-past-end", b"\x0a\x64ab"),
        ("unterminated-groups", _tag(1000, 3) * 200),
        ("end-group-alone", _tag(1000, 4)),
        ("field-1-bad-utf8", _delimited(1, b"\xff\xfe")),
    ]
    for index, field in enumerate(_string_fields(descriptor)[:3]):
        bad = BAD_UTF8[index % len(BAD_UTF8)]
        bodies.append((f"bad-utf8:{field.name}", _delimited(field.number, bad)))
        if field.is_repeated:
            bodies.append(
                (
                    f"bad-utf8-2nd:{field.name}",
                    _delimited(field.number, b"ok") * 1 + _delimited(field.number, bad),
                )
            )
    for field in descriptor.fields:
        if field.type != F.TYPE_MESSAGE or _is_map(field):
            continue
        inner = _string_fields(field.message_type)
        if inner:
            nested = _delimited(inner[0].number, b"\xed\xa0\x80")
            bodies.append(
                (f"bad-utf8:{field.name}.{inner[0].name}", _delimited(field.number, nested))
            )
            break
    return bodies


def raw_random(rpc: Rpc) -> st.SearchStrategy[bytes]:
    """Random bytes, and a valid-looking request with bad UTF-8 spliced in."""
    strings = _string_fields(rpc.method.input_type)
    spliced = st.nothing()
    if strings:
        spliced = st.builds(
            lambda f, bad, prefix: prefix + _delimited(f.number, bad),
            st.sampled_from(strings),
            st.sampled_from(BAD_UTF8),
            st.binary(max_size=0) | st.just(b"\x12\x00"),
        )
    return weighted((3, st.binary(min_size=1, max_size=200)), (1, spliced))


# ------------------------------------------------------------------------------ cases


@dataclasses.dataclass
class Case:
    rpc: Rpc
    kind: str  # "message" or "raw"
    body: bytes
    label: str  # a short, bounded description of what was sent

    @property
    def group(self) -> str:
        return f"{self.rpc.kind} [{self.kind}]"


def draw(strategy: st.SearchStrategy, count: int, seed_value: int) -> list:
    """`count` examples of `strategy`, the same ones for the same seed (generation only)."""
    found: list = []
    if count <= 0:
        return found

    @seed(seed_value)
    @settings(
        database=None,
        max_examples=count,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=False,
    )
    @given(strategy)
    def collect(value):
        found.append(value)

    collect()
    return found


def rpc_seed(base: int, rpc: Rpc, salt: str) -> int:
    return zlib.crc32(f"{base}:{rpc.path}:{salt}".encode())


def message_cases(requests: Requests, rpcs: Iterable[Rpc], per_rpc: int, seed_value: int):
    cases = []
    for rpc in rpcs:
        for message in draw(requests.for_rpc(rpc), per_rpc, rpc_seed(seed_value, rpc, "m")):
            cases.append(Case(rpc, "message", message.SerializeToString(), short(message)))
    return cases


def raw_cases(rpcs: Iterable[Rpc], random_per_rpc: int, seed_value: int, fixed: bool = True):
    cases = []
    for rpc in rpcs:
        if fixed:
            cases += [Case(rpc, "raw", body, label) for label, body in raw_bodies(rpc)]
        for body in draw(raw_random(rpc), random_per_rpc, rpc_seed(seed_value, rpc, "r")):
            cases.append(Case(rpc, "raw", body, f"random {body[:40]!r} ({len(body)} B)"))
    return cases


def short(message: Message, limit: int = 400) -> str:
    """A bounded one-line rendering of a request: long strings and bytes abbreviated."""

    def value(v: object) -> str:
        if isinstance(v, Message):
            return "{" + fields(v) + "}"
        if isinstance(v, str | bytes) and len(v) > 60:
            return f"{v[:24]!r}…(len {len(v)})"
        return repr(v)

    def fields(m: Message) -> str:
        parts = []
        for field, v in m.ListFields():
            if field.is_repeated and not _is_map(field):
                shown = [value(x) for x in list(v)[:3]]
                more = f", …{len(v)} items" if len(v) > 3 else ""
                parts.append(f"{field.name}=[{', '.join(shown)}{more}]")
            elif _is_map(field):
                parts.append(f"{field.name}=<map {len(v)}>")
            else:
                parts.append(f"{field.name}={value(v)}")
        return " ".join(parts)

    text = f"{type(message).__name__}({fields(message)})"
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------------------ sending


@dataclasses.dataclass
class Outcome:
    case: Case
    code: grpc.StatusCode
    details: str
    problems: list[str]
    request_id: str
    reason: str = ""
    seconds: float = 0.0
    trailers: int = 0  # bytes, as a client accounts them (`trailer_bytes`)


def _status_details(error: grpc.aio.AioRpcError) -> bytes | None:
    for key, value in error.trailing_metadata() or ():
        if key == STATUS_DETAILS_KEY:
            return value
    return None


def trailer_bytes(error: grpc.aio.AioRpcError) -> int:
    """The size a gRPC client accounts for these trailers (HPACK: name + value + 32 each;
    grpc-message percent-encoded, -bin values decoded), with :status, content-type and
    grpc-status of a Trailers-Only answer."""
    message = (error.details() or "").encode()
    encoded = sum(1 if 0x20 <= b <= 0x7E and b != 0x25 else 3 for b in message)
    size = 42 + 60 + 45 + len("grpc-message") + encoded + 32
    for key, value in error.trailing_metadata() or ():
        size += len(key) + len(value) + 32
    return size


def problems_of(code: grpc.StatusCode, status_bin: bytes | None) -> tuple[list[str], str]:
    """What is wrong with a non-OK answer (empty: nothing), and its ErrorInfo reason."""
    problems = []
    reason = ""
    if status_bin is None:
        problems.append("no grpc-status-details-bin")
    else:
        try:
            status = status_pb2.Status.FromString(status_bin)
        except DecodeError:
            status = None
            problems.append("grpc-status-details-bin is not a google.rpc.Status")
        if status is not None:
            if status.code != code.value[0]:
                problems.append(f"Status.code {status.code} != {code.value[0]}")
            infos = [a for a in status.details if a.Is(error_details_pb2.ErrorInfo.DESCRIPTOR)]
            if not infos:
                problems.append("no ErrorInfo in Status.details")
            else:
                info = error_details_pb2.ErrorInfo()
                infos[0].Unpack(info)
                reason = info.reason
                if info.domain != DOMAIN:
                    problems.append(f"ErrorInfo.domain {info.domain!r}")
                if not info.reason:
                    problems.append("ErrorInfo without reason")
    if code in FORBIDDEN:
        problems.insert(0, code.name)
    elif code == grpc.StatusCode.RESOURCE_EXHAUSTED and reason not in RATE_LIMIT_REASONS:
        problems.insert(0, f"RESOURCE_EXHAUSTED not a vendor rate limit (reason {reason!r})")
    return problems, reason


REQUEST_ID_SUFFIXES = (" ", "x" * 4000, "\\", '"', "%0d%0a", "-" * 200, "é".encode().hex())


class Sender:
    """Sends cases through real gRPC, generically (bytes in, bytes out)."""

    def __init__(self, channel: grpc.aio.Channel, timeout: float = 10.0) -> None:
        self.channel = channel
        self.timeout = timeout
        self._calls: dict[str, Any] = {}
        self.sequence = 0

    async def send(self, case: Case) -> Outcome:
        call = self._calls.get(case.rpc.path)
        if call is None:
            call = self._calls[case.rpc.path] = self.channel.unary_unary(
                case.rpc.path, request_serializer=None, response_deserializer=None
            )
        self.sequence += 1
        # Now and then a hostile x-request-id (the server keeps its first 128 characters).
        suffix = REQUEST_ID_SUFFIXES[self.sequence % 7] if self.sequence % 5 == 0 else ""
        request_id = f"fuzz-{self.sequence:07d}{suffix}"
        started = time.monotonic()
        try:
            response = await call(
                case.body, timeout=self.timeout, metadata=(("x-request-id", request_id),)
            )
        except grpc.aio.AioRpcError as error:
            code = error.code()
            problems, reason = problems_of(code, _status_details(error))
            size = trailer_bytes(error)
            if size > CLIENT_METADATA_SOFT_LIMIT:
                problems.append(
                    f"trailers over {CLIENT_METADATA_SOFT_LIMIT} B: a default client may get "
                    "RESOURCE_EXHAUSTED instead (8 KB soft limit, 16 KB hard)"
                )
            return Outcome(
                case,
                code,
                error.details() or "",
                problems,
                request_id,
                reason,
                time.monotonic() - started,
                size,
            )
        problems = []
        try:
            case.rpc.response_class.FromString(response)
        except DecodeError as error:
            problems.append(f"OK response does not decode: {error}")
        return Outcome(
            case, grpc.StatusCode.OK, "", problems, request_id, "", time.monotonic() - started
        )

    async def run(self, cases: Sequence[Case], concurrency: int = 1, progress=None):
        outcomes: list[Outcome | None] = [None] * len(cases)
        queue = iter(enumerate(cases))

        async def worker() -> None:
            for index, case in queue:
                outcomes[index] = await self.send(case)
                if progress is not None:
                    progress(index)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return [o for o in outcomes if o is not None]


async def health_problems(channel: grpc.aio.Channel, backend: str) -> list[str]:
    """After the fuzz: is the process still serving, and do plain valid RPCs still work?"""
    problems = []
    try:
        health = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=""), timeout=10
        )
        if health.status != health_pb2.HealthCheckResponse.SERVING:
            problems.append(
                f"health is {health_pb2.HealthCheckResponse.ServingStatus.Name(health.status)}"
            )
    except grpc.aio.AioRpcError as error:
        problems.append(f"health Check failed: {error.code().name} {error.details()}")
    from deskbridge.v1 import backends_pb2_grpc, tickets_pb2_grpc

    checks = [
        (
            "BackendService.GetBackend",
            backends_pb2_grpc.BackendServiceStub(channel).GetBackend(
                backends_pb2.GetBackendRequest(name=f"backends/{backend}"), timeout=10
            ),
        ),
        (
            "BackendService.ListBackends",
            backends_pb2_grpc.BackendServiceStub(channel).ListBackends(
                backends_pb2.ListBackendsRequest(), timeout=10
            ),
        ),
        (
            "TicketService.ListTickets",
            tickets_pb2_grpc.TicketServiceStub(channel).ListTickets(
                tickets_pb2.ListTicketsRequest(parent=f"backends/{backend}", page_size=5),
                timeout=10,
            ),
        ),
    ]
    for name, call in checks:
        try:
            await call
        except grpc.aio.AioRpcError as error:
            problems.append(f"{name} after the fuzz: {error.code().name} {error.details()}")
    return problems


# ------------------------------------------------------------------------------ server errors


@contextlib.contextmanager
def server_tracebacks():
    """Collect the traceback of every `unhandled_error` the in-process server logs, by request
    id (and keep the 2,000 access-log lines out of the output). structlog is restored after."""
    seen: dict[str, str] = {}
    old = structlog.get_config()

    def keep(_logger, _method, event: dict):
        if event.get("event") == "unhandled_error":
            seen[str(event.get("request_id"))] = traceback.format_exc()
        raise structlog.DropEvent

    structlog.configure(processors=[keep], cache_logger_on_first_use=False)
    try:
        yield seen
    finally:
        structlog.configure(**old)


@contextlib.contextmanager
def sandbox_errors():
    """Collect where the in-process InvGate sandbox raised (uvicorn logs "Exception in ASGI
    application"; the caller sees the vendor's HTTP 500 as UNAVAILABLE, which is allowed)."""
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.exc_info:
                seen.append(where("".join(traceback.format_exception(*record.exc_info))))

    logger = logging.getLogger("uvicorn.error")
    handler, propagate = Keep(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield seen
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def where(trace: str) -> str:
    """`file:line in function: ExceptionType: message` of a traceback's innermost frame."""
    frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', trace)
    last = trace.strip().splitlines()[-1] if trace.strip() else ""
    if not frames:
        return last[:200]
    ours = [f for f in frames if "/deskbridge/" in f[0]] or frames
    path, line, function = ours[-1]
    path = path.split("/services/", 1)[-1]
    return f"{path}:{line} in {function}: {last[:160]}"


# ------------------------------------------------------------------------------ reporting

_IDS = re.compile(r"fuzz-\d+|[0-9a-f]{32}")
_TYPES = re.compile(r"deskbridge\.v1\.\w+")
_QUOTED = re.compile(r"'[^']*(?:'|$)")


def failure_key(outcome: Outcome) -> tuple[str, str, str]:
    """(rpc [kind], code, the first 100 characters of the details, ids and quotes blanked)."""
    details = _QUOTED.sub("'…'", _IDS.sub("<id>", outcome.details))[:100]
    return (outcome.case.group, outcome.code.name, details)


@dataclasses.dataclass
class Report:
    outcomes: list[Outcome]
    tracebacks: dict[str, str]
    sandbox: list[str] = dataclasses.field(default_factory=list)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.problems]

    def counts(self) -> collections.Counter:
        return collections.Counter((o.case.group, o.code.name) for o in self.outcomes)

    def cause(self, outcome: Outcome) -> str:
        """Where the server raised, when it logged a traceback; else what the details say."""
        trace = self.tracebacks.get(outcome.request_id[:128])
        if trace:
            return "server: " + where(trace)
        problems = "; ".join(outcome.problems)
        if outcome.code not in FORBIDDEN and outcome.code != grpc.StatusCode.RESOURCE_EXHAUSTED:
            return problems  # e.g. trailers too big: the details are only the example's
        details = _QUOTED.sub("'…'", _TYPES.sub("<type>", _IDS.sub("<id>", outcome.details)))
        return f"{problems}: {details[:100]!r}"

    def render_failures(self, examples: int = 3, limit: int = 60) -> str:
        """Failure classes (code, cause) across RPCs with example requests, then the counts
        by (rpc [kind], code, details)."""
        failures = self.failures
        classes: dict[tuple[str, str], list[Outcome]] = collections.defaultdict(list)
        for outcome in failures:
            classes[(outcome.code.name, self.cause(outcome))].append(outcome)
        lines = [
            f"{len(failures)} of {len(self.outcomes)} calls failed, in {len(classes)} classes "
            "(code, cause):"
        ]
        for (code, cause), items in sorted(classes.items(), key=lambda kv: -len(kv[1])):
            rpcs = sorted({o.case.group for o in items})
            shown = ", ".join(rpcs[:4]) + (f", … {len(rpcs)} RPCs" if len(rpcs) > 4 else "")
            lines.append(f"\n{len(items):5d} x {code} {cause}")
            lines.append(f"        in {shown}")
            seen: set[str] = set()
            for outcome in items:
                if len(seen) >= examples:
                    break
                if outcome.case.rpc.kind in seen:
                    continue
                seen.add(outcome.case.rpc.kind)
                lines.append(f"        - {outcome.case.rpc.kind}: {outcome.case.label}")
                if outcome.trailers > CLIENT_METADATA_SOFT_LIMIT:
                    details = outcome.details[:60]
                    lines.append(f"          → trailers {outcome.trailers} B, {details!r}…")
        groups = collections.Counter(failure_key(o) for o in failures)
        lines.append(f"\nby (rpc [kind], code, details), {len(groups)} groups:")
        for (group, code, details), count in groups.most_common(limit):
            lines.append(f"  {count:5d} x {group} {code} {details!r}")
        if len(groups) > limit:
            lines.append(f"  … and {len(groups) - limit} more groups")
        return "\n".join(lines)

    def render_counts(self) -> str:
        counts = self.counts()
        width = max((len(group) for group, _ in counts), default=10)
        lines = [f"{'rpc [kind]':<{width}}  {'code':<20} {'calls':>6}"]
        for (group, code), count in sorted(counts.items()):
            lines.append(f"{group:<{width}}  {code:<20} {count:6d}")
        return "\n".join(lines)

    def render_summary(self) -> str:
        """Calls by service x case kind x code, plus failures, as one table."""
        table: dict[tuple[str, str], collections.Counter] = collections.defaultdict(
            collections.Counter
        )
        codes: set[str] = set()
        failed = collections.Counter()
        for o in self.outcomes:
            row = (o.case.rpc.service.name, o.case.kind)
            table[row][o.code.name] += 1
            codes.add(o.code.name)
            if o.problems:
                failed[row] += 1
        columns = sorted(codes, key=lambda c: (c != "OK", c))
        head = f"{'service':<18} {'kind':<8}" + "".join(f" {c[:18]:>18}" for c in columns)
        lines = [head + f" {'FAILED':>8}", "-" * (len(head) + 9)]
        totals = collections.Counter()
        for row in sorted(table):
            cells = "".join(f" {table[row][c]:>18}" for c in columns)
            lines.append(f"{row[0]:<18} {row[1]:<8}{cells} {failed[row]:>8}")
            totals.update(table[row])
        cells = "".join(f" {totals[c]:>18}" for c in columns)
        lines.append(f"{'total':<18} {'':<8}{cells} {sum(failed.values()):>8}")
        if self.sandbox:
            lines.append(f"\nthe InvGate sandbox raised {len(self.sandbox)} times (HTTP 500):")
            for place, count in collections.Counter(self.sandbox).most_common():
                lines.append(f"  {count:5d} x {place}")
        return "\n".join(lines)
