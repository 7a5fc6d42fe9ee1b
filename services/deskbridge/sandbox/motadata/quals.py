"""`…/search/byqual`: the FlatQualificationRest evaluator, sorting and paging (VENDORS.md §2.4).

Body `{}` (or `qualDetails` null) selects everything; otherwise
`{"qualDetails": {"type": "FlatQualificationRest", "quals": [...]}}`, the quals ANDed [I].
A qual is `{"type": "RelationalQualificationRest", "leftOperand": {"type":
"PropertyOperandRest" | "DbOperandRest", "key": "<module>.<field>" | "<field>"}, "operator":
..., "rightOperand": {"type": "ValueOperandRest", "value": {"type": <value type>, "value":
...}}}`; both operand types name the object's field [I].

Operators [C: equal, in, not_in, contains; I: the ordering ones, `ordering_operators`]:
`equal` (a scalar; on a list field: membership), `in` / `not_in` (a list; on a list field:
any overlap), `contains` (a text: case-insensitive substring of a text field, or a member of
a list field), `greater_than`, `less_than`, `greater_than_or_equal`, `less_than_or_equal` (a
number, on a number field; a null field never matches). A value must fit its key's kind
[I]. Anything else is a `QualError` (400).

Paging: `offset` (default 0), `size` (default `default_page_size`, capped at
`max_page_size` [O]), `sort_by` a field, `-field` descending [I]; ties by id.
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from deskbridge.sandbox.motadata.config import SandboxConfig
from deskbridge.sandbox.motadata.state import BOOL, LIST, LONG, STRING

OPERAND_TYPES = ("PropertyOperandRest", "DbOperandRest")
BASIC_OPERATORS = ("equal", "in", "not_in", "contains")
ORDERING = {
    "greater_than": op.gt,
    "less_than": op.lt,
    "greater_than_or_equal": op.ge,
    "less_than_or_equal": op.le,
}
# value type → (is a list, the kind of its items). EnumValueRest is named in the sources
# without an example; it is taken as a text [I].
VALUE_TYPES = {
    "LongValueRest": (False, LONG),
    "ListLongValueRest": (True, LONG),
    "StringValueRest": (False, STRING),
    "ListStringValueRest": (True, STRING),
    "EnumValueRest": (False, STRING),
    "BooleanValueRest": (False, BOOL),
}
# Which value kinds a field of each kind is compared with.
FITS = {LONG: {LONG}, STRING: {STRING}, BOOL: {BOOL}, LIST: {STRING}}


class QualError(ValueError):
    """A qualification, sort or paging parameter the instance refuses (400)."""


@dataclass(frozen=True)
class Qual:
    field: str
    kind: str  # the field's kind
    operator: str
    value: Any


def parse(body: Any, module: str, fields: Mapping[str, str], config: SandboxConfig) -> list[Qual]:
    """The quals of a byqual body for `module` ("request", "requester", ...)."""
    if not isinstance(body, dict):
        raise QualError("the search body must be a JSON object")
    details = body.get("qualDetails")
    if details is None:
        return []
    if not isinstance(details, dict) or details.get("type") != "FlatQualificationRest":
        raise QualError(f"unsupported qualDetails type: {_type_of(details)}")
    quals = details.get("quals") or []
    if not isinstance(quals, list):
        raise QualError("qualDetails.quals must be a list")
    return [_parse_qual(q, module, fields, config) for q in quals]


def _type_of(value: Any) -> Any:
    return value.get("type") if isinstance(value, dict) else value


def _parse_qual(qual: Any, module: str, fields: Mapping[str, str], config: SandboxConfig) -> Qual:
    if not isinstance(qual, dict) or qual.get("type") != "RelationalQualificationRest":
        raise QualError(f"unsupported qualification type: {_type_of(qual)}")
    field_name, kind = _key(qual.get("leftOperand"), module, fields)
    operator = qual.get("operator")
    known = operator in BASIC_OPERATORS or operator in ORDERING
    if not known or (operator in ORDERING and not config.ordering_operators):
        raise QualError(f"unsupported operator: {operator}")
    is_list, value_kind, value = _value(qual.get("rightOperand"))
    wants_list = operator in ("in", "not_in")
    if is_list != wants_list:
        raise QualError(f"operator {operator} needs a {'list' if wants_list else 'single'} value")
    if value_kind not in FITS.get(kind, set()):
        raise QualError(f"a {value_kind} value does not fit key {field_name}")
    if operator == "contains" and kind not in (STRING, LIST):
        raise QualError(f"contains needs a text or list key, not {field_name}")
    if operator in ORDERING and kind != LONG:
        raise QualError(f"{operator} needs a number key, not {field_name}")
    return Qual(field_name, kind, operator, value)


def _key(operand: Any, module: str, fields: Mapping[str, str]) -> tuple[str, str]:
    if not isinstance(operand, dict) or operand.get("type") not in OPERAND_TYPES:
        raise QualError(f"unsupported leftOperand type: {_type_of(operand)}")
    key = operand.get("key")
    name = key.removeprefix(f"{module}.") if isinstance(key, str) else None
    kind = fields.get(name) if name else None
    if kind not in FITS:
        raise QualError(f"unknown key: {key}")
    return name, kind


def _value(operand: Any) -> tuple[bool, str, Any]:
    if not isinstance(operand, dict) or operand.get("type") != "ValueOperandRest":
        raise QualError(f"unsupported rightOperand type: {_type_of(operand)}")
    value = operand.get("value")
    value_type = _type_of(value)
    if value_type not in VALUE_TYPES:
        raise QualError(f"unsupported value type: {value_type}")
    is_list, kind = VALUE_TYPES[value_type]
    inner = value.get("value")
    items = inner if is_list and isinstance(inner, list) else [inner]
    if (is_list and not isinstance(inner, list)) or not all(_is(kind, v) for v in items):
        raise QualError(f"{value_type} has a bad value: {inner!r}")
    return is_list, kind, inner


def _is(kind: str, value: Any) -> bool:
    if kind == LONG:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == STRING:
        return isinstance(value, str)
    return isinstance(value, bool)


def matches(record: Mapping[str, Any], quals: list[Qual]) -> bool:
    return all(_holds(record.get(q.field), q) for q in quals)


def _fold(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _holds(actual: Any, qual: Qual) -> bool:
    members = actual if isinstance(actual, list) else [actual]
    if qual.operator == "equal":
        return qual.value in members
    if qual.operator in ("in", "not_in"):
        hit = any(m in qual.value for m in members)
        return hit if qual.operator == "in" else not hit
    if qual.operator == "contains":
        wanted = qual.value.lower()
        if qual.kind == LIST:
            return wanted in [_fold(m) for m in members]
        return isinstance(actual, str) and wanted in actual.lower()
    compare: Callable[[Any, Any], bool] = ORDERING[qual.operator]
    return actual is not None and compare(actual, qual.value)


def search(
    records: list[dict[str, Any]],
    body: Any,
    query: Mapping[str, str],
    *,
    module: str,
    fields: Mapping[str, str],
    config: SandboxConfig,
) -> dict[str, Any]:
    """`{"objectList": [one page], "totalCount": every match}`."""
    quals = parse(body, module, fields, config)
    offset = _int_param(query, "offset", 0)
    size = min(_int_param(query, "size", config.default_page_size), config.max_page_size)
    hits = [r for r in records if matches(r, quals)]
    hits.sort(key=sort_key(query.get("sort_by") or "createdTime", fields), reverse=_desc(query))
    return {"objectList": hits[offset : offset + size], "totalCount": len(hits)}


def _int_param(query: Mapping[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise QualError(f"{name} must be a number, got {raw!r}") from None
    if value < 0:
        raise QualError(f"{name} must not be negative")
    return value


def _desc(query: Mapping[str, str]) -> bool:
    return (query.get("sort_by") or "").startswith("-")


def sort_key(sort_by: str, fields: Mapping[str, str]) -> Callable[[dict[str, Any]], tuple]:
    """Order by the field (nulls first [I]), ties by id."""
    name = sort_by.removeprefix("-")
    if fields.get(name) not in (LONG, STRING, BOOL):
        raise QualError(f"unknown sort_by field: {name}")

    def key(record: dict[str, Any]) -> tuple:
        value = record.get(name)
        return (value is not None, _fold(value) if value is not None else 0, record["id"])

    return key
