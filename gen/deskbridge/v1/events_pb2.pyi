import datetime

from deskbridge.v1 import approvals_pb2 as _approvals_pb2
from deskbridge.v1 import identity_pb2 as _identity_pb2
from deskbridge.v1 import knowledge_pb2 as _knowledge_pb2
from deskbridge.v1 import tickets_pb2 as _tickets_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ChangeAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANGE_ACTION_UNSPECIFIED: _ClassVar[ChangeAction]
    CHANGE_ACTION_CREATED: _ClassVar[ChangeAction]
    CHANGE_ACTION_UPDATED: _ClassVar[ChangeAction]
    CHANGE_ACTION_DELETED: _ClassVar[ChangeAction]
    CHANGE_ACTION_STATE_CHANGED: _ClassVar[ChangeAction]
    CHANGE_ACTION_CATEGORY_CHANGED: _ClassVar[ChangeAction]
    CHANGE_ACTION_CUSTOM_FORM_CHANGED: _ClassVar[ChangeAction]
    CHANGE_ACTION_ASSIGNED: _ClassVar[ChangeAction]
    CHANGE_ACTION_CANCELLED: _ClassVar[ChangeAction]
    CHANGE_ACTION_REOPENED: _ClassVar[ChangeAction]
    CHANGE_ACTION_REJECTED: _ClassVar[ChangeAction]
    CHANGE_ACTION_WAITING: _ClassVar[ChangeAction]
    CHANGE_ACTION_SOLUTION_ACCEPTED: _ClassVar[ChangeAction]
    CHANGE_ACTION_SOLUTION_REJECTED: _ClassVar[ChangeAction]
    CHANGE_ACTION_LINKED: _ClassVar[ChangeAction]
    CHANGE_ACTION_OBSERVERS_CHANGED: _ClassVar[ChangeAction]
    CHANGE_ACTION_COLLABORATORS_CHANGED: _ClassVar[ChangeAction]
    CHANGE_ACTION_MEMBERS_CHANGED: _ClassVar[ChangeAction]
    CHANGE_ACTION_ENABLED: _ClassVar[ChangeAction]
    CHANGE_ACTION_DISABLED: _ClassVar[ChangeAction]
    CHANGE_ACTION_CONVERTED: _ClassVar[ChangeAction]
    CHANGE_ACTION_PASSWORD_RESET_REQUESTED: _ClassVar[ChangeAction]
    CHANGE_ACTION_REQUESTED: _ClassVar[ChangeAction]
    CHANGE_ACTION_APPROVED: _ClassVar[ChangeAction]
    CHANGE_ACTION_CLOSED: _ClassVar[ChangeAction]
    CHANGE_ACTION_RESPONDED: _ClassVar[ChangeAction]
    CHANGE_ACTION_RESPONSE_ACCEPTED: _ClassVar[ChangeAction]
    CHANGE_ACTION_RESOLVED: _ClassVar[ChangeAction]
    CHANGE_ACTION_PROMOTED: _ClassVar[ChangeAction]
    CHANGE_ACTION_ATTACHMENTS_CHANGED: _ClassVar[ChangeAction]
    CHANGE_ACTION_VOTERS_CHANGED: _ClassVar[ChangeAction]

class ChangeOrigin(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANGE_ORIGIN_UNSPECIFIED: _ClassVar[ChangeOrigin]
    CHANGE_ORIGIN_API: _ClassVar[ChangeOrigin]
    CHANGE_ORIGIN_WEBHOOK: _ClassVar[ChangeOrigin]
    CHANGE_ORIGIN_POLL: _ClassVar[ChangeOrigin]
CHANGE_ACTION_UNSPECIFIED: ChangeAction
CHANGE_ACTION_CREATED: ChangeAction
CHANGE_ACTION_UPDATED: ChangeAction
CHANGE_ACTION_DELETED: ChangeAction
CHANGE_ACTION_STATE_CHANGED: ChangeAction
CHANGE_ACTION_CATEGORY_CHANGED: ChangeAction
CHANGE_ACTION_CUSTOM_FORM_CHANGED: ChangeAction
CHANGE_ACTION_ASSIGNED: ChangeAction
CHANGE_ACTION_CANCELLED: ChangeAction
CHANGE_ACTION_REOPENED: ChangeAction
CHANGE_ACTION_REJECTED: ChangeAction
CHANGE_ACTION_WAITING: ChangeAction
CHANGE_ACTION_SOLUTION_ACCEPTED: ChangeAction
CHANGE_ACTION_SOLUTION_REJECTED: ChangeAction
CHANGE_ACTION_LINKED: ChangeAction
CHANGE_ACTION_OBSERVERS_CHANGED: ChangeAction
CHANGE_ACTION_COLLABORATORS_CHANGED: ChangeAction
CHANGE_ACTION_MEMBERS_CHANGED: ChangeAction
CHANGE_ACTION_ENABLED: ChangeAction
CHANGE_ACTION_DISABLED: ChangeAction
CHANGE_ACTION_CONVERTED: ChangeAction
CHANGE_ACTION_PASSWORD_RESET_REQUESTED: ChangeAction
CHANGE_ACTION_REQUESTED: ChangeAction
CHANGE_ACTION_APPROVED: ChangeAction
CHANGE_ACTION_CLOSED: ChangeAction
CHANGE_ACTION_RESPONDED: ChangeAction
CHANGE_ACTION_RESPONSE_ACCEPTED: ChangeAction
CHANGE_ACTION_RESOLVED: ChangeAction
CHANGE_ACTION_PROMOTED: ChangeAction
CHANGE_ACTION_ATTACHMENTS_CHANGED: ChangeAction
CHANGE_ACTION_VOTERS_CHANGED: ChangeAction
CHANGE_ORIGIN_UNSPECIFIED: ChangeOrigin
CHANGE_ORIGIN_API: ChangeOrigin
CHANGE_ORIGIN_WEBHOOK: ChangeOrigin
CHANGE_ORIGIN_POLL: ChangeOrigin

class TicketEvent(_message.Message):
    __slots__ = ("action", "ticket", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    TICKET_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    ticket: _tickets_pb2.Ticket
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., ticket: _Optional[_Union[_tickets_pb2.Ticket, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class CommentEvent(_message.Message):
    __slots__ = ("action", "comment", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    comment: _tickets_pb2.Comment
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., comment: _Optional[_Union[_tickets_pb2.Comment, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class UserEvent(_message.Message):
    __slots__ = ("action", "user", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    user: _identity_pb2.User
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., user: _Optional[_Union[_identity_pb2.User, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class GroupEvent(_message.Message):
    __slots__ = ("action", "group", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    group: _identity_pb2.Group
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., group: _Optional[_Union[_identity_pb2.Group, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class CompanyEvent(_message.Message):
    __slots__ = ("action", "company", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    company: _identity_pb2.Company
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., company: _Optional[_Union[_identity_pb2.Company, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class LocationEvent(_message.Message):
    __slots__ = ("action", "location", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    location: _identity_pb2.Location
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., location: _Optional[_Union[_identity_pb2.Location, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class HelpDeskEvent(_message.Message):
    __slots__ = ("action", "help_desk", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    HELP_DESK_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    help_desk: _identity_pb2.HelpDesk
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., help_desk: _Optional[_Union[_identity_pb2.HelpDesk, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class HelpDeskLevelEvent(_message.Message):
    __slots__ = ("action", "level", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    level: _identity_pb2.HelpDeskLevel
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., level: _Optional[_Union[_identity_pb2.HelpDeskLevel, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class ArticleEvent(_message.Message):
    __slots__ = ("action", "article", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    article: _knowledge_pb2.Article
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., article: _Optional[_Union[_knowledge_pb2.Article, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class ArticleCategoryEvent(_message.Message):
    __slots__ = ("action", "article_category", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    article_category: _knowledge_pb2.ArticleCategory
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., article_category: _Optional[_Union[_knowledge_pb2.ArticleCategory, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class AnnouncementEvent(_message.Message):
    __slots__ = ("action", "announcement", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ANNOUNCEMENT_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    announcement: _knowledge_pb2.Announcement
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., announcement: _Optional[_Union[_knowledge_pb2.Announcement, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class ApprovalEvent(_message.Message):
    __slots__ = ("action", "approval", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    approval: _approvals_pb2.Approval
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., approval: _Optional[_Union[_approvals_pb2.Approval, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class InternalNoteEvent(_message.Message):
    __slots__ = ("action", "internal_note", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    INTERNAL_NOTE_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    internal_note: _identity_pb2.InternalNote
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., internal_note: _Optional[_Union[_identity_pb2.InternalNote, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...

class TimeEntryEvent(_message.Message):
    __slots__ = ("action", "time_entry", "changed_fields", "origin", "change_time", "request_id", "resource_name", "actor")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    TIME_ENTRY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    CHANGE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    action: ChangeAction
    time_entry: _tickets_pb2.TimeEntry
    changed_fields: _field_mask_pb2.FieldMask
    origin: ChangeOrigin
    change_time: _timestamp_pb2.Timestamp
    request_id: str
    resource_name: str
    actor: str
    def __init__(self, action: _Optional[_Union[ChangeAction, str]] = ..., time_entry: _Optional[_Union[_tickets_pb2.TimeEntry, _Mapping]] = ..., changed_fields: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., origin: _Optional[_Union[ChangeOrigin, str]] = ..., change_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., resource_name: _Optional[str] = ..., actor: _Optional[str] = ...) -> None: ...
