import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Vendor(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VENDOR_UNSPECIFIED: _ClassVar[Vendor]
    VENDOR_INVGATE: _ClassVar[Vendor]
    VENDOR_MOTADATA: _ClassVar[Vendor]
    VENDOR_CRMCOM: _ClassVar[Vendor]
    VENDOR_REQUESTOR: _ClassVar[Vendor]

class CustomFieldType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CUSTOM_FIELD_TYPE_UNSPECIFIED: _ClassVar[CustomFieldType]
    CUSTOM_FIELD_TYPE_TEXT: _ClassVar[CustomFieldType]
    CUSTOM_FIELD_TYPE_NUMBER: _ClassVar[CustomFieldType]
    CUSTOM_FIELD_TYPE_BOOLEAN: _ClassVar[CustomFieldType]
    CUSTOM_FIELD_TYPE_DATE: _ClassVar[CustomFieldType]
    CUSTOM_FIELD_TYPE_LIST: _ClassVar[CustomFieldType]
    CUSTOM_FIELD_TYPE_TREE: _ClassVar[CustomFieldType]
    CUSTOM_FIELD_TYPE_FILE: _ClassVar[CustomFieldType]
    CUSTOM_FIELD_TYPE_CONFIGURATION_ITEM: _ClassVar[CustomFieldType]

class TimeUnit(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TIME_UNIT_UNSPECIFIED: _ClassVar[TimeUnit]
    TIME_UNIT_MINUTES: _ClassVar[TimeUnit]
    TIME_UNIT_HOURS: _ClassVar[TimeUnit]
    TIME_UNIT_DAYS: _ClassVar[TimeUnit]
    TIME_UNIT_WEEKS: _ClassVar[TimeUnit]
    TIME_UNIT_MONTHS: _ClassVar[TimeUnit]
    TIME_UNIT_YEARS: _ClassVar[TimeUnit]
VENDOR_UNSPECIFIED: Vendor
VENDOR_INVGATE: Vendor
VENDOR_MOTADATA: Vendor
VENDOR_CRMCOM: Vendor
VENDOR_REQUESTOR: Vendor
CUSTOM_FIELD_TYPE_UNSPECIFIED: CustomFieldType
CUSTOM_FIELD_TYPE_TEXT: CustomFieldType
CUSTOM_FIELD_TYPE_NUMBER: CustomFieldType
CUSTOM_FIELD_TYPE_BOOLEAN: CustomFieldType
CUSTOM_FIELD_TYPE_DATE: CustomFieldType
CUSTOM_FIELD_TYPE_LIST: CustomFieldType
CUSTOM_FIELD_TYPE_TREE: CustomFieldType
CUSTOM_FIELD_TYPE_FILE: CustomFieldType
CUSTOM_FIELD_TYPE_CONFIGURATION_ITEM: CustomFieldType
TIME_UNIT_UNSPECIFIED: TimeUnit
TIME_UNIT_MINUTES: TimeUnit
TIME_UNIT_HOURS: TimeUnit
TIME_UNIT_DAYS: TimeUnit
TIME_UNIT_WEEKS: TimeUnit
TIME_UNIT_MONTHS: TimeUnit
TIME_UNIT_YEARS: TimeUnit

class VendorRecord(_message.Message):
    __slots__ = ("backend", "vendor", "remote_id", "display_id", "create_time", "update_time", "remote_data")
    BACKEND_FIELD_NUMBER: _ClassVar[int]
    VENDOR_FIELD_NUMBER: _ClassVar[int]
    REMOTE_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    REMOTE_DATA_FIELD_NUMBER: _ClassVar[int]
    backend: str
    vendor: Vendor
    remote_id: str
    display_id: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    remote_data: _struct_pb2.Struct
    def __init__(self, backend: _Optional[str] = ..., vendor: _Optional[_Union[Vendor, str]] = ..., remote_id: _Optional[str] = ..., display_id: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., remote_data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class VendorValue(_message.Message):
    __slots__ = ("id", "label")
    ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    id: str
    label: str
    def __init__(self, id: _Optional[str] = ..., label: _Optional[str] = ...) -> None: ...

class StringList(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, values: _Optional[_Iterable[str]] = ...) -> None: ...

class CustomFieldOption(_message.Message):
    __slots__ = ("key", "label")
    KEY_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    key: str
    label: str
    def __init__(self, key: _Optional[str] = ..., label: _Optional[str] = ...) -> None: ...

class OptionList(_message.Message):
    __slots__ = ("options",)
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    options: _containers.RepeatedCompositeFieldContainer[CustomFieldOption]
    def __init__(self, options: _Optional[_Iterable[_Union[CustomFieldOption, _Mapping]]] = ...) -> None: ...

class CustomFieldValue(_message.Message):
    __slots__ = ("field_id", "label", "type", "string_value", "number_value", "bool_value", "time_value", "string_list_value", "option_value")
    FIELD_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STRING_VALUE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_VALUE_FIELD_NUMBER: _ClassVar[int]
    BOOL_VALUE_FIELD_NUMBER: _ClassVar[int]
    TIME_VALUE_FIELD_NUMBER: _ClassVar[int]
    STRING_LIST_VALUE_FIELD_NUMBER: _ClassVar[int]
    OPTION_VALUE_FIELD_NUMBER: _ClassVar[int]
    field_id: str
    label: str
    type: CustomFieldType
    string_value: str
    number_value: float
    bool_value: bool
    time_value: _timestamp_pb2.Timestamp
    string_list_value: StringList
    option_value: OptionList
    def __init__(self, field_id: _Optional[str] = ..., label: _Optional[str] = ..., type: _Optional[_Union[CustomFieldType, str]] = ..., string_value: _Optional[str] = ..., number_value: _Optional[float] = ..., bool_value: _Optional[bool] = ..., time_value: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., string_list_value: _Optional[_Union[StringList, _Mapping]] = ..., option_value: _Optional[_Union[OptionList, _Mapping]] = ...) -> None: ...

class ObserverSet(_message.Message):
    __slots__ = ("resource", "users", "groups")
    RESOURCE_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    resource: str
    users: _containers.RepeatedScalarFieldContainer[str]
    groups: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, resource: _Optional[str] = ..., users: _Optional[_Iterable[str]] = ..., groups: _Optional[_Iterable[str]] = ...) -> None: ...
