"""Which `deskbridge.v1` message an event carries, by convention from its ce-type.

`deskbridge.v1.<resource>.<action>` carries `deskbridge.v1.events_pb2.<Resource>Event`, where
`<Resource>` is the resource kind in CamelCase: `article_category` → `ArticleCategoryEvent`,
`help_desk` → `HelpDeskEvent`. The generated module is imported lazily, on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import ModuleType

from google.protobuf.message import DecodeError, Message

from deskbridge.events.envelope import message_class_name, split_type

EVENTS_MODULE = "deskbridge.v1.events_pb2"
MessageTypes = Mapping[str, type[Message]]  # resource kind → message class (overrides)

_module: ModuleType | None = None


class UndecodableEvent(ValueError):
    """The payload is not the message its ce-type promises."""


def _events_module() -> ModuleType | None:
    global _module
    if _module is None:
        try:
            _module = importlib.import_module(EVENTS_MODULE)
        except ImportError:
            return None  # not generated yet: try again next time
    return _module


def message_class(resource: str, overrides: MessageTypes | None = None) -> type[Message] | None:
    """The event message class of a resource kind, or None when there is none."""
    if overrides and resource in overrides:
        return overrides[resource]
    module = _events_module()
    if module is None:
        return None
    found = getattr(module, message_class_name(resource), None)
    if isinstance(found, type) and issubclass(found, Message):
        return found
    return None


def decode_payload(
    ce_type: str | None, data: bytes, overrides: MessageTypes | None = None
) -> Message | None:
    """The decoded event message; None for an unknown type, `UndecodableEvent` for bad bytes."""
    kind = split_type(ce_type or "")
    if kind is None:
        return None
    cls = message_class(kind[0], overrides)
    if cls is None:
        return None
    try:
        return cls.FromString(data)
    except (DecodeError, RuntimeWarning) as error:
        raise UndecodableEvent(f"{ce_type}: payload is not a {cls.__name__}: {error}") from error
