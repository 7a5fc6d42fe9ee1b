"""InvGate request parameters as PHP parses them (VENDORS.md §1.3).

Parameters are merged from the query string, a form body and a JSON body (POST/PUT/PATCH).
Arrays arrive as `k[]=1&k[]=2`, `k[0]=1` or repeated `k`; a comma string where an array is
expected, a missing required parameter or a wrongly typed one answers HTTP 428.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

_ARRAY_KEY = re.compile(r"^(?P<name>[^\[\]]+)\[(?P<index>\d*)\]$")


class ParamError(Exception):
    """A 428 Precondition Required, as InvGate answers bad parameters."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Params:
    """Typed access to the merged parameters of one call."""

    def __init__(self, pairs: Iterable[tuple[str, Any]]) -> None:
        self.values: dict[str, Any] = {}
        for key, value in pairs:
            found = _ARRAY_KEY.match(key)
            if found:
                self.values.setdefault(found["name"], [])
                if not isinstance(self.values[found["name"]], list):
                    self.values[found["name"]] = [self.values[found["name"]]]
                self.values[found["name"]].append(value)
            elif key in self.values:
                current = self.values[key]
                self.values[key] = (
                    [*current, value] if isinstance(current, list) else [current, value]
                )
            else:
                self.values[key] = value

    @classmethod
    def parse(cls, query: str, body: bytes, content_type: str) -> Params:
        pairs: list[tuple[str, Any]] = parse_qsl(query, keep_blank_values=True)
        if body:
            if "json" in content_type:
                try:
                    document = json.loads(body)
                except ValueError as error:
                    raise ParamError("the JSON body is not valid") from error
                if isinstance(document, dict):
                    for key, value in document.items():
                        if isinstance(value, list):
                            pairs.extend((f"{key}[]", v) for v in value)
                        else:
                            pairs.append((key, value))
            else:
                pairs.extend(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        return cls(pairs)

    def has(self, name: str) -> bool:
        return name in self.values and self.values[name] not in ("", None, [])

    def int(self, name: str, *, required: bool = False, default: int | None = None) -> int | None:
        if not self.has(name):
            if required:
                raise ParamError(f"The parameter {name} is required")
            return default
        value = self.values[name]
        if isinstance(value, bool) or isinstance(value, list):
            raise ParamError(f"Type {type(value).__name__} passed is invalid for {name}")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ParamError(f"Type string passed is invalid for {name}") from None

    def str(self, name: str, *, required: bool = False, default: str | None = None) -> str | None:
        if not self.has(name):
            if required:
                raise ParamError(f"The parameter {name} is required")
            return default
        value = self.values[name]
        if isinstance(value, list):
            raise ParamError(f"Type array passed is invalid for {name}")
        return str(value)

    def bool(self, name: str, default: bool = False) -> bool:
        if not self.has(name):
            return default
        return str(self.values[name]).lower() in ("1", "true", "yes", "on")

    def ints(self, name: str, *, required: bool = False) -> list[int]:
        if not self.has(name):
            if required:
                raise ParamError(f"The parameter {name} is required")
            return []
        value = self.values[name]
        if not isinstance(value, list):
            raise ParamError(f"Type string passed is invalid for {name}: an array is expected")
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            raise ParamError(f"Type string passed is invalid for {name}") from None

    def strs(self, name: str, *, required: bool = False) -> list[str]:
        if not self.has(name):
            if required:
                raise ParamError(f"The parameter {name} is required")
            return []
        value = self.values[name]
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def reject(self, *names: str) -> None:
        """428 when a parameter this endpoint does not take was sent (observed on `incidents`)."""
        for name in names:
            if name in self.values:
                raise ParamError(f"The parameter {name} is not allowed here")
