"""Raw vendor records as `google.protobuf.Struct` (`VendorRecord.remote_data`), for every vendor.

Built value by value rather than with `Struct.update`, which goes through the generic
well-known-type helpers and costs about half as much again per record on the GetTicket hot path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from google.protobuf.struct_pb2 import NULL_VALUE, ListValue, Struct, Value


def to_struct(record: Mapping[Any, Any]) -> Struct:
    """A JSON-like mapping (keys made strings) as a Struct."""
    return Struct(fields={str(key): to_value(item) for key, item in record.items()})


def to_value(item: Any) -> Value:
    """A JSON-like value as a `Value`; numbers become doubles, as JSON has them."""
    if item is None:
        return Value(null_value=NULL_VALUE)
    if isinstance(item, bool):
        return Value(bool_value=item)
    if isinstance(item, int | float):
        return Value(number_value=item)
    if isinstance(item, str):
        return Value(string_value=item)
    if isinstance(item, Mapping):
        return Value(struct_value=to_struct(item))
    if isinstance(item, list | tuple):
        return Value(list_value=ListValue(values=[to_value(x) for x in item]))
    return Value(string_value=str(item))
