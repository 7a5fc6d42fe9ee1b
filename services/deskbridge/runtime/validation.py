"""Request validation driven by the contracts' own annotations, written once for every RPC.

- `(google.api.field_behavior) = REQUIRED` → the field must be set. Fields of nested messages,
  and of each element of a repeated one, are checked too on creates; not on updates, where
  only masked fields change and the vendor adapter reports a masked field it cannot take,
  together with its other violations.
- `(google.api.resource_reference)` → the value must match the referenced resource's
  pattern (or, for `child_type`, its parent pattern).
- `page_size` must not be negative.
- Every string is text a vendor can store: no NUL or other control characters but tab and
  line breaks, and at most `MAX_LONG_TEXT` characters for bodies (`LONG_TEXT_FIELDS`: a
  pasted log, a 2 MB description or comment must pass) or `MAX_TEXT` for everything else
  (titles, names, emails, ids). No vendor documents its limits (VENDORS.md); these defaults
  sit above what a helpdesk UI accepts and below what breaks a vendor request.
Every problem becomes a `BadRequest` field violation, all of them reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Iterator
from functools import cache

from google.api import field_behavior_pb2, resource_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from deskbridge.runtime.contracts import contract_files
from deskbridge.runtime.errors import FieldViolation, invalid_argument
from deskbridge.runtime.names import ResourcePattern

Check = Callable[[Message, str, list[FieldViolation]], None]  # appends what it finds


def validate(request: Message) -> None:
    """Raise `INVALID_ARGUMENT` listing every violation in `request`."""
    violations: list[FieldViolation] = []
    _checker(request.DESCRIPTOR)(request, "", violations)
    if violations:
        raise invalid_argument(violations)


MAX_TEXT, MAX_LONG_TEXT = 4096, 4 * 1024 * 1024
LONG_TEXT_FIELDS = frozenset(
    {"body", "comment", "content", "description", "message", "messages", "note", "notes"}
    | {"string_value", "values"}
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TIMESTAMP = "google.protobuf.Timestamp"
MIN_SECONDS, MAX_SECONDS = -62_135_596_800, 253_402_300_799  # the range Timestamp defines


@cache
def _checker(descriptor: Descriptor, skip_required: bool = False) -> Check:
    """All checks of one message type, decided once from its descriptor (this runs per call,
    so what can be decided ahead is: plain functions appending to a list, no generators)."""
    checks: list[Check] = []
    is_update = "update_mask" in descriptor.fields_by_name
    for field in descriptor.fields:
        behaviors = field.GetOptions().Extensions[field_behavior_pb2.field_behavior]
        if field_behavior_pb2.REQUIRED in behaviors and not skip_required:
            checks.append(_required(field))
        patterns = _reference_patterns(field)
        if patterns:
            checks.append(_reference(field, patterns))
        if field.type == FieldDescriptor.TYPE_STRING:
            checks.append(_text(field))
        if field.name == "page_size" and field.type == FieldDescriptor.TYPE_INT32:
            checks.append(_non_negative(field))
        if _is_singular_message(field) and field.message_type.full_name == TIMESTAMP:
            checks.append(_timestamp_in_range(field))
        if _is_singular_message(field) and not _is_well_known(field.message_type):
            # On updates, a resource's REQUIRED fields may be absent (only masked ones change).
            checks.append(_nested(field, skip_required=skip_required or is_update))
        elif _is_repeated_message(field) and not _is_well_known(field.message_type):
            checks.append(_each(field, skip_required=skip_required or is_update))

    def check_all(message: Message, prefix: str, violations: list[FieldViolation]) -> None:
        for check in checks:
            check(message, prefix, violations)

    return check_all


def _required(field: FieldDescriptor) -> Check:
    name = field.name
    has_presence = not _is_repeated(field) and (
        field.type == FieldDescriptor.TYPE_MESSAGE or field.containing_oneof is not None
    )

    def is_set(message: Message) -> bool:
        # Without presence, set means non-empty: a string, a repeated field, a non-zero scalar.
        return message.HasField(name) if has_presence else bool(getattr(message, name))

    def check(message: Message, prefix: str, violations: list[FieldViolation]) -> None:
        if not is_set(message):
            violations.append(FieldViolation(prefix + name, "is required"))

    return check


def _timestamp_in_range(field: FieldDescriptor) -> Check:
    """A Timestamp must lie in 0001-01-01..9999-12-31 (google/protobuf/timestamp.proto)."""

    def check(message: Message, prefix: str, violations: list[FieldViolation]) -> None:
        if not message.HasField(field.name):
            return
        value = getattr(message, field.name)
        if not (MIN_SECONDS <= value.seconds <= MAX_SECONDS and 0 <= value.nanos < 10**9):
            violations.append(
                FieldViolation(
                    prefix + field.name,
                    "must be a time from 0001-01-01 to 9999-12-31 "
                    f"(got seconds={value.seconds}, nanos={value.nanos})",
                )
            )

    return check


def _text_problem(value: str, limit: int) -> str | None:
    if len(value) > limit:
        return f"must be at most {limit} characters (got {len(value)})"
    control = _CONTROL.search(value)
    if control is not None:
        return (
            f"must not contain control characters (U+{ord(control.group()):04X} at "
            f"{control.start()})"
        )
    return None


def _text(field: FieldDescriptor) -> Check:
    name = field.name
    limit = MAX_LONG_TEXT if name in LONG_TEXT_FIELDS else MAX_TEXT
    repeated = _is_repeated(field)

    def check(message: Message, prefix: str, violations: list[FieldViolation]) -> None:
        values = getattr(message, name)
        if not values:
            return
        for index, value in enumerate(values if repeated else (values,)):
            problem = _text_problem(value, limit)
            if problem:
                where = f"{prefix}{name}[{index}]" if repeated else prefix + name
                violations.append(FieldViolation(where, problem))

    return check


def _non_negative(field: FieldDescriptor) -> Check:
    def check(message: Message, prefix: str, violations: list[FieldViolation]) -> None:
        value = getattr(message, field.name)
        if value < 0:
            violations.append(
                FieldViolation(prefix + field.name, f"must not be negative (got {value})")
            )

    return check


def _reference(field: FieldDescriptor, patterns: tuple[ResourcePattern, ...]) -> Check:
    expected = " or ".join(p.pattern for p in patterns)
    name = field.name
    repeated = _is_repeated(field)

    def check(message: Message, prefix: str, violations: list[FieldViolation]) -> None:
        values = getattr(message, name)
        for index, value in enumerate(values if repeated else (values,)):
            if value and not any(p.matches(value) for p in patterns):
                where = f"{prefix}{name}[{index}]" if repeated else prefix + name
                violations.append(
                    FieldViolation(where, f"{value!r} is not a resource name like {expected}")
                )

    return check


def _nested(field: FieldDescriptor, skip_required: bool) -> Check:
    name = field.name

    def check(message: Message, prefix: str, violations: list[FieldViolation]) -> None:
        if message.HasField(name):
            child = getattr(message, name)
            _checker(child.DESCRIPTOR, skip_required)(child, f"{prefix}{name}.", violations)

    return check


def _each(field: FieldDescriptor, skip_required: bool) -> Check:
    name = field.name

    def check(message: Message, prefix: str, violations: list[FieldViolation]) -> None:
        for index, child in enumerate(getattr(message, name)):
            where = f"{prefix}{name}[{index}]."
            _checker(child.DESCRIPTOR, skip_required)(child, where, violations)

    return check


def _is_repeated_message(field: FieldDescriptor) -> bool:
    return (
        field.type == FieldDescriptor.TYPE_MESSAGE
        and _is_repeated(field)
        and not field.message_type.GetOptions().map_entry
    )


def _is_repeated(field: FieldDescriptor) -> bool:
    return field.is_repeated


def _is_singular_message(field: FieldDescriptor) -> bool:
    return (
        field.type == FieldDescriptor.TYPE_MESSAGE
        and not _is_repeated(field)
        and not (field.message_type.GetOptions().map_entry)
    )


def _is_well_known(descriptor: Descriptor) -> bool:
    return descriptor.full_name.startswith("google.")


def _reference_patterns(field: FieldDescriptor) -> tuple[ResourcePattern, ...]:
    if field.type != FieldDescriptor.TYPE_STRING:
        return ()
    reference = field.GetOptions().Extensions[resource_pb2.resource_reference]
    if reference.type and reference.type != "*":
        return tuple(ResourcePattern(p) for p in resource_patterns(reference.type))
    if reference.child_type:
        return tuple(
            ResourcePattern(p.rsplit("/", 2)[0]) for p in resource_patterns(reference.child_type)
        )
    return ()


@cache
def resource_patterns(resource_type: str) -> tuple[str, ...]:
    """Patterns declared with `option (google.api.resource)` for a type like `x/Ticket`."""
    return _resource_index().get(resource_type, ())


@cache
def _resource_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for file in contract_files():
        for message in _all_messages(file.message_types_by_name.values()):
            option = message.GetOptions().Extensions[resource_pb2.resource]
            if option.type:
                index[option.type] = tuple(option.pattern)
    return index


def _all_messages(messages) -> Iterator[Descriptor]:
    for message in messages:
        yield message
        yield from _all_messages(message.nested_types)


def check_mask(paths: Iterable[str], supported: Container[str], vendor: str) -> None:
    """INVALID_ARGUMENT naming every `update_mask` path the vendor cannot update."""
    bad = [
        FieldViolation(f"update_mask.paths[{i}]", f"{vendor} cannot update {p!r}")
        for i, p in enumerate(paths)
        if p not in supported
    ]
    if bad:
        raise invalid_argument(bad)
