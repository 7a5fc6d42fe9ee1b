"""Qualifications for `…/search/byqual` (VENDORS.md §2.4): `FlatQualificationRest` quals.

Only `equal`, `in`, `not_in` and `contains` are seen in the sources; the ordering operators
used for `updatedTime` are inferred [I] (the sandbox can refuse them; see changes.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _value(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"type": "BooleanValueRest", "value": value}
    if isinstance(value, int):
        return {"type": "LongValueRest", "value": value}
    if isinstance(value, str):
        return {"type": "StringValueRest", "value": value}
    items = list(value)
    if all(isinstance(i, int) and not isinstance(i, bool) for i in items):
        return {"type": "ListLongValueRest", "value": items}
    return {"type": "ListStringValueRest", "value": [str(i) for i in items]}


def qual(module: str, field: str, operator: str, value: Any) -> dict[str, Any]:
    """`<module>.<field> <operator> <value>`, the value typed from its Python type."""
    return {
        "type": "RelationalQualificationRest",
        "leftOperand": {"type": "PropertyOperandRest", "key": f"{module}.{field}"},
        "operator": operator,
        "rightOperand": {"type": "ValueOperandRest", "value": _value(value)},
    }


def one_of(module: str, field: str, values: Sequence[int | str]) -> dict[str, Any]:
    return qual(module, field, "in", list(values))
