import datetime

from deskbridge.v1 import common_pb2 as _common_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
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

class AnswerSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ANSWER_SOURCE_UNSPECIFIED: _ClassVar[AnswerSource]
    ANSWER_SOURCE_VENDOR: _ClassVar[AnswerSource]
    ANSWER_SOURCE_EVENT_VIEW: _ClassVar[AnswerSource]
SUPPORT_UNSPECIFIED: Support
SUPPORT_SUPPORTED: Support
SUPPORT_UNSUPPORTED: Support
SUPPORT_PARTIAL: Support
ANSWER_SOURCE_UNSPECIFIED: AnswerSource
ANSWER_SOURCE_VENDOR: AnswerSource
ANSWER_SOURCE_EVENT_VIEW: AnswerSource

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
    __slots__ = ("method", "support", "note", "source", "view_update_time")
    METHOD_FIELD_NUMBER: _ClassVar[int]
    SUPPORT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    VIEW_UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    method: str
    support: Support
    note: str
    source: AnswerSource
    view_update_time: _timestamp_pb2.Timestamp
    def __init__(self, method: _Optional[str] = ..., support: _Optional[_Union[Support, str]] = ..., note: _Optional[str] = ..., source: _Optional[_Union[AnswerSource, str]] = ..., view_update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

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

class SyncStatus(_message.Message):
    __slots__ = ("name", "lease_holder", "lease_expire_time", "kinds", "webhooks_enabled")
    NAME_FIELD_NUMBER: _ClassVar[int]
    LEASE_HOLDER_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    WEBHOOKS_ENABLED_FIELD_NUMBER: _ClassVar[int]
    name: str
    lease_holder: str
    lease_expire_time: _timestamp_pb2.Timestamp
    kinds: _containers.RepeatedCompositeFieldContainer[KindSyncStatus]
    webhooks_enabled: bool
    def __init__(self, name: _Optional[str] = ..., lease_holder: _Optional[str] = ..., lease_expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kinds: _Optional[_Iterable[_Union[KindSyncStatus, _Mapping]]] = ..., webhooks_enabled: _Optional[bool] = ...) -> None: ...

class KindSyncStatus(_message.Message):
    __slots__ = ("kind", "watermark_time", "last_change_time", "last_poll_time", "lag", "reconciliations", "last_error", "method", "poll_interval")
    KIND_FIELD_NUMBER: _ClassVar[int]
    WATERMARK_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_POLL_TIME_FIELD_NUMBER: _ClassVar[int]
    LAG_FIELD_NUMBER: _ClassVar[int]
    RECONCILIATIONS_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    POLL_INTERVAL_FIELD_NUMBER: _ClassVar[int]
    kind: str
    watermark_time: _timestamp_pb2.Timestamp
    last_change_time: _timestamp_pb2.Timestamp
    last_poll_time: _timestamp_pb2.Timestamp
    lag: _duration_pb2.Duration
    reconciliations: int
    last_error: str
    method: str
    poll_interval: _duration_pb2.Duration
    def __init__(self, kind: _Optional[str] = ..., watermark_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_poll_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., lag: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., reconciliations: _Optional[int] = ..., last_error: _Optional[str] = ..., method: _Optional[str] = ..., poll_interval: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class GetSyncStatusRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetSyncStatusResponse(_message.Message):
    __slots__ = ("sync_status",)
    SYNC_STATUS_FIELD_NUMBER: _ClassVar[int]
    sync_status: SyncStatus
    def __init__(self, sync_status: _Optional[_Union[SyncStatus, _Mapping]] = ...) -> None: ...
