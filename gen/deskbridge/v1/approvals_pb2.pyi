import datetime

from deskbridge.v1 import common_pb2 as _common_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ApprovalState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    APPROVAL_STATE_UNSPECIFIED: _ClassVar[ApprovalState]
    APPROVAL_STATE_CANCELLED: _ClassVar[ApprovalState]
    APPROVAL_STATE_WAITING: _ClassVar[ApprovalState]
    APPROVAL_STATE_REJECTED: _ClassVar[ApprovalState]
    APPROVAL_STATE_APPROVED: _ClassVar[ApprovalState]
    APPROVAL_STATE_EXPIRED: _ClassVar[ApprovalState]

class ApprovalType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    APPROVAL_TYPE_UNSPECIFIED: _ClassVar[ApprovalType]
    APPROVAL_TYPE_PREDEFINED: _ClassVar[ApprovalType]
    APPROVAL_TYPE_SPONTANEOUS: _ClassVar[ApprovalType]
APPROVAL_STATE_UNSPECIFIED: ApprovalState
APPROVAL_STATE_CANCELLED: ApprovalState
APPROVAL_STATE_WAITING: ApprovalState
APPROVAL_STATE_REJECTED: ApprovalState
APPROVAL_STATE_APPROVED: ApprovalState
APPROVAL_STATE_EXPIRED: ApprovalState
APPROVAL_TYPE_UNSPECIFIED: ApprovalType
APPROVAL_TYPE_PREDEFINED: ApprovalType
APPROVAL_TYPE_SPONTANEOUS: ApprovalType

class Vote(_message.Message):
    __slots__ = ("user", "state", "vendor_state", "note")
    USER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    VENDOR_STATE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    user: str
    state: ApprovalState
    vendor_state: _common_pb2.VendorValue
    note: str
    def __init__(self, user: _Optional[str] = ..., state: _Optional[_Union[ApprovalState, str]] = ..., vendor_state: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., note: _Optional[str] = ...) -> None: ...

class Approval(_message.Message):
    __slots__ = ("name", "vendor_record", "state", "vendor_state", "type", "description", "author", "votes", "reminder_count", "create_time", "etag")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    VENDOR_STATE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    VOTES_FIELD_NUMBER: _ClassVar[int]
    REMINDER_COUNT_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    state: ApprovalState
    vendor_state: _common_pb2.VendorValue
    type: ApprovalType
    description: str
    author: str
    votes: _containers.RepeatedCompositeFieldContainer[Vote]
    reminder_count: int
    create_time: _timestamp_pb2.Timestamp
    etag: str
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., state: _Optional[_Union[ApprovalState, str]] = ..., vendor_state: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., type: _Optional[_Union[ApprovalType, str]] = ..., description: _Optional[str] = ..., author: _Optional[str] = ..., votes: _Optional[_Iterable[_Union[Vote, _Mapping]]] = ..., reminder_count: _Optional[int] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., etag: _Optional[str] = ...) -> None: ...

class ListApprovalsRequest(_message.Message):
    __slots__ = ("parent", "only_pending")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    ONLY_PENDING_FIELD_NUMBER: _ClassVar[int]
    parent: str
    only_pending: bool
    def __init__(self, parent: _Optional[str] = ..., only_pending: _Optional[bool] = ...) -> None: ...

class ListApprovalsResponse(_message.Message):
    __slots__ = ("approvals",)
    APPROVALS_FIELD_NUMBER: _ClassVar[int]
    approvals: _containers.RepeatedCompositeFieldContainer[Approval]
    def __init__(self, approvals: _Optional[_Iterable[_Union[Approval, _Mapping]]] = ...) -> None: ...

class ApproveApprovalRequest(_message.Message):
    __slots__ = ("name", "user", "note")
    NAME_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    name: str
    user: str
    note: str
    def __init__(self, name: _Optional[str] = ..., user: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class ApproveApprovalResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: Approval
    def __init__(self, approval: _Optional[_Union[Approval, _Mapping]] = ...) -> None: ...

class RejectApprovalRequest(_message.Message):
    __slots__ = ("name", "user", "note")
    NAME_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    name: str
    user: str
    note: str
    def __init__(self, name: _Optional[str] = ..., user: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class RejectApprovalResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: Approval
    def __init__(self, approval: _Optional[_Union[Approval, _Mapping]] = ...) -> None: ...

class CancelApprovalRequest(_message.Message):
    __slots__ = ("name", "user", "note")
    NAME_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    name: str
    user: str
    note: str
    def __init__(self, name: _Optional[str] = ..., user: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class CancelApprovalResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: Approval
    def __init__(self, approval: _Optional[_Union[Approval, _Mapping]] = ...) -> None: ...

class AddApprovalVoterRequest(_message.Message):
    __slots__ = ("name", "user")
    NAME_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    name: str
    user: str
    def __init__(self, name: _Optional[str] = ..., user: _Optional[str] = ...) -> None: ...

class AddApprovalVoterResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: Approval
    def __init__(self, approval: _Optional[_Union[Approval, _Mapping]] = ...) -> None: ...

class ListApprovalVotersRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListApprovalVotersResponse(_message.Message):
    __slots__ = ("voters",)
    VOTERS_FIELD_NUMBER: _ClassVar[int]
    voters: _containers.RepeatedCompositeFieldContainer[Vote]
    def __init__(self, voters: _Optional[_Iterable[_Union[Vote, _Mapping]]] = ...) -> None: ...

class RequestApprovalRequest(_message.Message):
    __slots__ = ("parent", "author", "approver", "description")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    APPROVER_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    parent: str
    author: str
    approver: str
    description: str
    def __init__(self, parent: _Optional[str] = ..., author: _Optional[str] = ..., approver: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class RequestApprovalResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: Approval
    def __init__(self, approval: _Optional[_Union[Approval, _Mapping]] = ...) -> None: ...

class ApprovalTemplate(_message.Message):
    __slots__ = ("name", "display_name", "description")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    name: str
    display_name: str
    description: str
    def __init__(self, name: _Optional[str] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class ListApprovalTemplatesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListApprovalTemplatesResponse(_message.Message):
    __slots__ = ("templates",)
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    templates: _containers.RepeatedCompositeFieldContainer[ApprovalTemplate]
    def __init__(self, templates: _Optional[_Iterable[_Union[ApprovalTemplate, _Mapping]]] = ...) -> None: ...

class RequestTemplateApprovalRequest(_message.Message):
    __slots__ = ("name", "author", "description")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    name: str
    author: str
    description: str
    def __init__(self, name: _Optional[str] = ..., author: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class RequestTemplateApprovalResponse(_message.Message):
    __slots__ = ("approval",)
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    approval: Approval
    def __init__(self, approval: _Optional[_Union[Approval, _Mapping]] = ...) -> None: ...

class ListApprovalStatusesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListApprovalStatusesResponse(_message.Message):
    __slots__ = ("statuses",)
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    statuses: _containers.RepeatedCompositeFieldContainer[_common_pb2.VendorValue]
    def __init__(self, statuses: _Optional[_Iterable[_Union[_common_pb2.VendorValue, _Mapping]]] = ...) -> None: ...

class ListVoteStatusesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListVoteStatusesResponse(_message.Message):
    __slots__ = ("statuses",)
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    statuses: _containers.RepeatedCompositeFieldContainer[_common_pb2.VendorValue]
    def __init__(self, statuses: _Optional[_Iterable[_Union[_common_pb2.VendorValue, _Mapping]]] = ...) -> None: ...

class ListApprovalTypesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListApprovalTypesResponse(_message.Message):
    __slots__ = ("types",)
    TYPES_FIELD_NUMBER: _ClassVar[int]
    types: _containers.RepeatedCompositeFieldContainer[_common_pb2.VendorValue]
    def __init__(self, types: _Optional[_Iterable[_Union[_common_pb2.VendorValue, _Mapping]]] = ...) -> None: ...
