from deskbridge.v1 import common_pb2 as _common_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Support(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUPPORT_UNSPECIFIED: _ClassVar[Support]
    SUPPORT_SUPPORTED: _ClassVar[Support]
    SUPPORT_UNSUPPORTED: _ClassVar[Support]
    SUPPORT_PARTIAL: _ClassVar[Support]
SUPPORT_UNSPECIFIED: Support
SUPPORT_SUPPORTED: Support
SUPPORT_UNSUPPORTED: Support
SUPPORT_PARTIAL: Support

class Backend(_message.Message):
    __slots__ = ("name", "vendor", "base_url", "operations")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    OPERATIONS_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor: _common_pb2.Vendor
    base_url: str
    operations: _containers.RepeatedCompositeFieldContainer[OperationSupport]
    def __init__(self, name: _Optional[str] = ..., vendor: _Optional[_Union[_common_pb2.Vendor, str]] = ..., base_url: _Optional[str] = ..., operations: _Optional[_Iterable[_Union[OperationSupport, _Mapping]]] = ...) -> None: ...

class OperationSupport(_message.Message):
    __slots__ = ("method", "support", "note")
    METHOD_FIELD_NUMBER: _ClassVar[int]
    SUPPORT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    method: str
    support: Support
    note: str
    def __init__(self, method: _Optional[str] = ..., support: _Optional[_Union[Support, str]] = ..., note: _Optional[str] = ...) -> None: ...

class ListBackendsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListBackendsResponse(_message.Message):
    __slots__ = ("backends", "next_page_token")
    BACKENDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    backends: _containers.RepeatedCompositeFieldContainer[Backend]
    next_page_token: str
    def __init__(self, backends: _Optional[_Iterable[_Union[Backend, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetBackendRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetBackendResponse(_message.Message):
    __slots__ = ("backend",)
    BACKEND_FIELD_NUMBER: _ClassVar[int]
    backend: Backend
    def __init__(self, backend: _Optional[_Union[Backend, _Mapping]] = ...) -> None: ...
