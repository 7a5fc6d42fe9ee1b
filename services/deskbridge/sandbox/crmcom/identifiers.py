"""Parameters and identifiers (VENDORS.md §3.2, §3.5).

GET: every parameter is in the query; an identifier is flattened as
`<name>_identifier=<field>=<value>` [C]. POST: a JSON object; an identifier is a nested
object `{"number": "SR00000275"}` [C]. Either way an identifier has exactly one of its
"semi-optional" fields [C]: none, two, or a field the entity does not have is an error
naming the identifier, and a value no record has is an error "… not found". Values match
exactly (case-sensitive) [I]; a JSON null field counts as absent [I].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from starlette.datastructures import QueryParams

from deskbridge.sandbox.crmcom.errors import CrmError

CONTACT_FIELDS = (
    "id",
    "number",  # [C] §3.2's GET example: contact_information_identifier=number=CI000111
    "id_number",
    "passport_number",
    "social_security_number",
    "vat_registration_number",
    "registration_number",
)
# entity → its identifier's semi-optional fields
FIELDS: dict[str, tuple[str, ...]] = {
    "service_request": ("id", "number"),  # [C]
    "type": ("id", "name", "alternative_code"),  # [C] id | name; alternative_code [I]
    "status": ("id", "name", "alternative_code"),  # [C] id | name; alternative_code [I]
    "category": ("id", "name", "code"),  # [C]
    "contact": CONTACT_FIELDS,  # [C]
    "account": ("id", "number"),  # [C] number seen; id [C]
    "user": ("id", "username"),  # [I]
    "group": ("id", "name", "alternative_code"),  # [I]
    "privacy_level": ("id", "name"),  # [I]
    "unit": ("id", "name", "alternative_code"),  # [I]
}
ONE_ONLY = (
    "It is mandatory to specify one of the semi-optional parameters. "
    "Only one of those parameters is allowed to be specified."
)


def query_params(query: QueryParams) -> dict[str, Any]:
    """A GET's parameters: `*_identifier` values unflattened into {field: value}."""
    params: dict[str, Any] = {}
    for key in query:
        values = query.getlist(key)
        if not key.endswith("_identifier"):
            params[key] = values[0]
            continue
        identifier: dict[str, str] = {}
        for value in values:
            field, sep, wanted = value.partition("=")
            if not sep or not field:
                raise CrmError(f"{key} is not valid: {value}", f"Give it as {key}=<field>=<value>")
            if field in identifier:
                raise CrmError(f"{key}: only one {field} is allowed", ONE_ONLY)
            identifier[field] = wanted
        params[key] = identifier
    return params


def chosen(raw: Any, name: str, entity: str) -> tuple[str, str]:
    """(field, value) of the identifier `name` of an `entity`."""
    fields = FIELDS[entity]
    allowed = ", ".join(fields)
    if not isinstance(raw, Mapping):
        raise CrmError(f"{name} must be an identifier object", f"One of: {allowed}")
    given = {k: v for k, v in raw.items() if v is not None}
    unknown = [k for k in given if k not in fields]
    if unknown:
        raise CrmError(f"{name}: {unknown[0]} is not an allowed field", f"One of: {allowed}")
    if len(given) != 1:
        raise CrmError(f"{name}: specify exactly one of {allowed}", ONE_ONLY)
    field, value = next(iter(given.items()))
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise CrmError(f"{name}.{field} must be a string", f"Got {value!r}")
    return field, str(value)


def resolve(raw: Any, name: str, entity: str, records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The record an identifier names."""
    field, value = chosen(raw, name, entity)
    for record in records:
        if record.get(field) is not None and str(record[field]) == value:
            return record
    raise CrmError(f"{name} not found", f"No {entity.replace('_', ' ')} with {field} {value}")


def required(params: Mapping[str, Any], name: str) -> Any:
    if params.get(name) is None:
        raise CrmError(f"{name} is mandatory", f"Specify {name}")
    return params[name]


def optional(
    params: Mapping[str, Any], name: str, entity: str, records: Iterable[dict[str, Any]]
) -> dict[str, Any] | None:
    """The record an optional identifier names, or None when it is not given."""
    if params.get(name) is None:
        return None
    return resolve(params[name], name, entity, records)


def mandatory(
    params: Mapping[str, Any], name: str, entity: str, records: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    return resolve(required(params, name), name, entity, records)


def text(params: Mapping[str, Any], name: str) -> str | None:
    """An optional string parameter (None when absent or null)."""
    value = params.get(name)
    if value is not None and not isinstance(value, str):
        raise CrmError(f"{name} must be a string", f"Got {value!r}")
    return value
