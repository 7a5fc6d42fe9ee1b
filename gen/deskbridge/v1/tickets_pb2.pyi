import datetime

from deskbridge.v1 import common_pb2 as _common_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.api import resource_pb2 as _resource_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TicketState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TICKET_STATE_UNSPECIFIED: _ClassVar[TicketState]
    TICKET_STATE_NEW: _ClassVar[TicketState]
    TICKET_STATE_OPEN: _ClassVar[TicketState]
    TICKET_STATE_IN_PROGRESS: _ClassVar[TicketState]
    TICKET_STATE_PENDING: _ClassVar[TicketState]
    TICKET_STATE_WAITING: _ClassVar[TicketState]
    TICKET_STATE_RESOLVED: _ClassVar[TicketState]
    TICKET_STATE_CLOSED: _ClassVar[TicketState]
    TICKET_STATE_REJECTED: _ClassVar[TicketState]
    TICKET_STATE_CANCELLED: _ClassVar[TicketState]

class TicketPriority(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TICKET_PRIORITY_UNSPECIFIED: _ClassVar[TicketPriority]
    TICKET_PRIORITY_LOW: _ClassVar[TicketPriority]
    TICKET_PRIORITY_MEDIUM: _ClassVar[TicketPriority]
    TICKET_PRIORITY_HIGH: _ClassVar[TicketPriority]
    TICKET_PRIORITY_URGENT: _ClassVar[TicketPriority]
    TICKET_PRIORITY_CRITICAL: _ClassVar[TicketPriority]

class TicketType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TICKET_TYPE_UNSPECIFIED: _ClassVar[TicketType]
    TICKET_TYPE_INCIDENT: _ClassVar[TicketType]
    TICKET_TYPE_SERVICE_REQUEST: _ClassVar[TicketType]
    TICKET_TYPE_QUESTION: _ClassVar[TicketType]
    TICKET_TYPE_PROBLEM: _ClassVar[TicketType]
    TICKET_TYPE_CHANGE: _ClassVar[TicketType]
    TICKET_TYPE_MAJOR_INCIDENT: _ClassVar[TicketType]

class CloseReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLOSE_REASON_UNSPECIFIED: _ClassVar[CloseReason]
    CLOSE_REASON_SOLUTION_ACCEPTED: _ClassVar[CloseReason]
    CLOSE_REASON_SOLUTION_EXPIRED: _ClassVar[CloseReason]
    CLOSE_REASON_CUSTOMER_TIMEOUT: _ClassVar[CloseReason]
    CLOSE_REASON_WORKFLOW_FINALIZED: _ClassVar[CloseReason]

class Sentiment(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SENTIMENT_UNSPECIFIED: _ClassVar[Sentiment]
    SENTIMENT_NEGATIVE: _ClassVar[Sentiment]
    SENTIMENT_NEUTRAL: _ClassVar[Sentiment]
    SENTIMENT_POSITIVE: _ClassVar[Sentiment]

class LifecycleState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LIFECYCLE_STATE_UNSPECIFIED: _ClassVar[LifecycleState]
    LIFECYCLE_STATE_PENDING: _ClassVar[LifecycleState]
    LIFECYCLE_STATE_RESPONDED: _ClassVar[LifecycleState]
    LIFECYCLE_STATE_TEMPORARY_RESOLVED: _ClassVar[LifecycleState]
    LIFECYCLE_STATE_FINAL_RESOLVED: _ClassVar[LifecycleState]
    LIFECYCLE_STATE_COMPLETED: _ClassVar[LifecycleState]

class CommentVisibility(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COMMENT_VISIBILITY_UNSPECIFIED: _ClassVar[CommentVisibility]
    COMMENT_VISIBILITY_PUBLIC: _ClassVar[CommentVisibility]
    COMMENT_VISIBILITY_INTERNAL: _ClassVar[CommentVisibility]

class TaskState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_STATE_UNSPECIFIED: _ClassVar[TaskState]
    TASK_STATE_OPEN: _ClassVar[TaskState]
    TASK_STATE_FINISHED: _ClassVar[TaskState]
    TASK_STATE_DELETED: _ClassVar[TaskState]
    TASK_STATE_SKIPPED: _ClassVar[TaskState]
TICKET_STATE_UNSPECIFIED: TicketState
TICKET_STATE_NEW: TicketState
TICKET_STATE_OPEN: TicketState
TICKET_STATE_IN_PROGRESS: TicketState
TICKET_STATE_PENDING: TicketState
TICKET_STATE_WAITING: TicketState
TICKET_STATE_RESOLVED: TicketState
TICKET_STATE_CLOSED: TicketState
TICKET_STATE_REJECTED: TicketState
TICKET_STATE_CANCELLED: TicketState
TICKET_PRIORITY_UNSPECIFIED: TicketPriority
TICKET_PRIORITY_LOW: TicketPriority
TICKET_PRIORITY_MEDIUM: TicketPriority
TICKET_PRIORITY_HIGH: TicketPriority
TICKET_PRIORITY_URGENT: TicketPriority
TICKET_PRIORITY_CRITICAL: TicketPriority
TICKET_TYPE_UNSPECIFIED: TicketType
TICKET_TYPE_INCIDENT: TicketType
TICKET_TYPE_SERVICE_REQUEST: TicketType
TICKET_TYPE_QUESTION: TicketType
TICKET_TYPE_PROBLEM: TicketType
TICKET_TYPE_CHANGE: TicketType
TICKET_TYPE_MAJOR_INCIDENT: TicketType
CLOSE_REASON_UNSPECIFIED: CloseReason
CLOSE_REASON_SOLUTION_ACCEPTED: CloseReason
CLOSE_REASON_SOLUTION_EXPIRED: CloseReason
CLOSE_REASON_CUSTOMER_TIMEOUT: CloseReason
CLOSE_REASON_WORKFLOW_FINALIZED: CloseReason
SENTIMENT_UNSPECIFIED: Sentiment
SENTIMENT_NEGATIVE: Sentiment
SENTIMENT_NEUTRAL: Sentiment
SENTIMENT_POSITIVE: Sentiment
LIFECYCLE_STATE_UNSPECIFIED: LifecycleState
LIFECYCLE_STATE_PENDING: LifecycleState
LIFECYCLE_STATE_RESPONDED: LifecycleState
LIFECYCLE_STATE_TEMPORARY_RESOLVED: LifecycleState
LIFECYCLE_STATE_FINAL_RESOLVED: LifecycleState
LIFECYCLE_STATE_COMPLETED: LifecycleState
COMMENT_VISIBILITY_UNSPECIFIED: CommentVisibility
COMMENT_VISIBILITY_PUBLIC: CommentVisibility
COMMENT_VISIBILITY_INTERNAL: CommentVisibility
TASK_STATE_UNSPECIFIED: TaskState
TASK_STATE_OPEN: TaskState
TASK_STATE_FINISHED: TaskState
TASK_STATE_DELETED: TaskState
TASK_STATE_SKIPPED: TaskState

class WaitingState(_message.Message):
    __slots__ = ("agent", "customer", "until_time", "ticket", "external_entity_link")
    AGENT_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    UNTIL_TIME_FIELD_NUMBER: _ClassVar[int]
    TICKET_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ENTITY_LINK_FIELD_NUMBER: _ClassVar[int]
    agent: bool
    customer: bool
    until_time: _timestamp_pb2.Timestamp
    ticket: str
    external_entity_link: str
    def __init__(self, agent: _Optional[bool] = ..., customer: _Optional[bool] = ..., until_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ticket: _Optional[str] = ..., external_entity_link: _Optional[str] = ...) -> None: ...

class LinkedAsset(_message.Message):
    __slots__ = ("model", "asset_id")
    MODEL_FIELD_NUMBER: _ClassVar[int]
    ASSET_ID_FIELD_NUMBER: _ClassVar[int]
    model: str
    asset_id: str
    def __init__(self, model: _Optional[str] = ..., asset_id: _Optional[str] = ...) -> None: ...

class TicketSla(_message.Message):
    __slots__ = ("resolution_due_time", "first_reply_due_time", "resolution_state", "first_reply_state")
    RESOLUTION_DUE_TIME_FIELD_NUMBER: _ClassVar[int]
    FIRST_REPLY_DUE_TIME_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_STATE_FIELD_NUMBER: _ClassVar[int]
    FIRST_REPLY_STATE_FIELD_NUMBER: _ClassVar[int]
    resolution_due_time: _timestamp_pb2.Timestamp
    first_reply_due_time: _timestamp_pb2.Timestamp
    resolution_state: str
    first_reply_state: str
    def __init__(self, resolution_due_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., first_reply_due_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolution_state: _Optional[str] = ..., first_reply_state: _Optional[str] = ...) -> None: ...

class Ticket(_message.Message):
    __slots__ = ("name", "vendor_record", "title", "description", "state", "vendor_state", "priority", "vendor_priority", "type", "vendor_type", "category", "category_display_name", "vendor_source", "impact", "urgency", "requester", "requester_email", "creator", "assignee", "help_desk", "location", "department", "support_level", "tags", "cc_emails", "spam", "linked_assets", "attachments", "custom_fields", "related_tickets", "waiting", "rating", "close_reason", "initial_sentiment", "current_sentiment", "occurred_time", "create_time", "update_time", "solve_time", "close_time", "sla", "lifecycle_state", "account", "contact", "caller_phone", "notes", "estimated_completion_time", "service", "solver_key", "process_id", "etag")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    VENDOR_STATE_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    VENDOR_PRIORITY_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    VENDOR_TYPE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_SOURCE_FIELD_NUMBER: _ClassVar[int]
    IMPACT_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    HELP_DESK_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    SUPPORT_LEVEL_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    CC_EMAILS_FIELD_NUMBER: _ClassVar[int]
    SPAM_FIELD_NUMBER: _ClassVar[int]
    LINKED_ASSETS_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELDS_FIELD_NUMBER: _ClassVar[int]
    RELATED_TICKETS_FIELD_NUMBER: _ClassVar[int]
    WAITING_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    CLOSE_REASON_FIELD_NUMBER: _ClassVar[int]
    INITIAL_SENTIMENT_FIELD_NUMBER: _ClassVar[int]
    CURRENT_SENTIMENT_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    SOLVE_TIME_FIELD_NUMBER: _ClassVar[int]
    CLOSE_TIME_FIELD_NUMBER: _ClassVar[int]
    SLA_FIELD_NUMBER: _ClassVar[int]
    LIFECYCLE_STATE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    CALLER_PHONE_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_COMPLETION_TIME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    SOLVER_KEY_FIELD_NUMBER: _ClassVar[int]
    PROCESS_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    title: str
    description: str
    state: TicketState
    vendor_state: _common_pb2.VendorValue
    priority: TicketPriority
    vendor_priority: _common_pb2.VendorValue
    type: TicketType
    vendor_type: _common_pb2.VendorValue
    category: str
    category_display_name: str
    vendor_source: _common_pb2.VendorValue
    impact: _common_pb2.VendorValue
    urgency: _common_pb2.VendorValue
    requester: str
    requester_email: str
    creator: str
    assignee: str
    help_desk: str
    location: str
    department: str
    support_level: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    cc_emails: _containers.RepeatedScalarFieldContainer[str]
    spam: bool
    linked_assets: _containers.RepeatedCompositeFieldContainer[LinkedAsset]
    attachments: _containers.RepeatedScalarFieldContainer[str]
    custom_fields: _containers.RepeatedCompositeFieldContainer[_common_pb2.CustomFieldValue]
    related_tickets: _containers.RepeatedScalarFieldContainer[str]
    waiting: WaitingState
    rating: int
    close_reason: CloseReason
    initial_sentiment: Sentiment
    current_sentiment: Sentiment
    occurred_time: _timestamp_pb2.Timestamp
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    solve_time: _timestamp_pb2.Timestamp
    close_time: _timestamp_pb2.Timestamp
    sla: TicketSla
    lifecycle_state: LifecycleState
    account: str
    contact: str
    caller_phone: str
    notes: str
    estimated_completion_time: _timestamp_pb2.Timestamp
    service: str
    solver_key: str
    process_id: str
    etag: str
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., state: _Optional[_Union[TicketState, str]] = ..., vendor_state: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., priority: _Optional[_Union[TicketPriority, str]] = ..., vendor_priority: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., type: _Optional[_Union[TicketType, str]] = ..., vendor_type: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., category: _Optional[str] = ..., category_display_name: _Optional[str] = ..., vendor_source: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., impact: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., urgency: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., requester: _Optional[str] = ..., requester_email: _Optional[str] = ..., creator: _Optional[str] = ..., assignee: _Optional[str] = ..., help_desk: _Optional[str] = ..., location: _Optional[str] = ..., department: _Optional[str] = ..., support_level: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., cc_emails: _Optional[_Iterable[str]] = ..., spam: _Optional[bool] = ..., linked_assets: _Optional[_Iterable[_Union[LinkedAsset, _Mapping]]] = ..., attachments: _Optional[_Iterable[str]] = ..., custom_fields: _Optional[_Iterable[_Union[_common_pb2.CustomFieldValue, _Mapping]]] = ..., related_tickets: _Optional[_Iterable[str]] = ..., waiting: _Optional[_Union[WaitingState, _Mapping]] = ..., rating: _Optional[int] = ..., close_reason: _Optional[_Union[CloseReason, str]] = ..., initial_sentiment: _Optional[_Union[Sentiment, str]] = ..., current_sentiment: _Optional[_Union[Sentiment, str]] = ..., occurred_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., solve_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., close_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sla: _Optional[_Union[TicketSla, _Mapping]] = ..., lifecycle_state: _Optional[_Union[LifecycleState, str]] = ..., account: _Optional[str] = ..., contact: _Optional[str] = ..., caller_phone: _Optional[str] = ..., notes: _Optional[str] = ..., estimated_completion_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., service: _Optional[str] = ..., solver_key: _Optional[str] = ..., process_id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class CreateTicketRequest(_message.Message):
    __slots__ = ("parent", "ticket", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    TICKET_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    ticket: Ticket
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., ticket: _Optional[_Union[Ticket, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateTicketResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class GetTicketRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetTicketResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class BatchGetTicketsRequest(_message.Message):
    __slots__ = ("parent", "names")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    parent: str
    names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, parent: _Optional[str] = ..., names: _Optional[_Iterable[str]] = ...) -> None: ...

class BatchGetTicketsResponse(_message.Message):
    __slots__ = ("tickets",)
    TICKETS_FIELD_NUMBER: _ClassVar[int]
    tickets: _containers.RepeatedCompositeFieldContainer[Ticket]
    def __init__(self, tickets: _Optional[_Iterable[_Union[Ticket, _Mapping]]] = ...) -> None: ...

class ListTicketsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "states", "requester", "assignee", "help_desk", "category", "updated_after", "priority", "view_id", "sentiment", "lifecycle_state", "account")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    HELP_DESK_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AFTER_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    VIEW_ID_FIELD_NUMBER: _ClassVar[int]
    SENTIMENT_FIELD_NUMBER: _ClassVar[int]
    LIFECYCLE_STATE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    states: _containers.RepeatedScalarFieldContainer[TicketState]
    requester: str
    assignee: str
    help_desk: str
    category: str
    updated_after: _timestamp_pb2.Timestamp
    priority: TicketPriority
    view_id: str
    sentiment: Sentiment
    lifecycle_state: LifecycleState
    account: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., states: _Optional[_Iterable[_Union[TicketState, str]]] = ..., requester: _Optional[str] = ..., assignee: _Optional[str] = ..., help_desk: _Optional[str] = ..., category: _Optional[str] = ..., updated_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., priority: _Optional[_Union[TicketPriority, str]] = ..., view_id: _Optional[str] = ..., sentiment: _Optional[_Union[Sentiment, str]] = ..., lifecycle_state: _Optional[_Union[LifecycleState, str]] = ..., account: _Optional[str] = ...) -> None: ...

class ListTicketsResponse(_message.Message):
    __slots__ = ("tickets", "next_page_token", "total_size")
    TICKETS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    tickets: _containers.RepeatedCompositeFieldContainer[Ticket]
    next_page_token: str
    total_size: int
    def __init__(self, tickets: _Optional[_Iterable[_Union[Ticket, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class UpdateTicketRequest(_message.Message):
    __slots__ = ("ticket", "update_mask", "author")
    TICKET_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    update_mask: _field_mask_pb2.FieldMask
    author: str
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., author: _Optional[str] = ...) -> None: ...

class UpdateTicketResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class DeleteTicketRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteTicketResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class CancelTicketRequest(_message.Message):
    __slots__ = ("name", "author", "comment")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    name: str
    author: str
    comment: str
    def __init__(self, name: _Optional[str] = ..., author: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class CancelTicketResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class ReopenTicketRequest(_message.Message):
    __slots__ = ("name", "author")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    name: str
    author: str
    def __init__(self, name: _Optional[str] = ..., author: _Optional[str] = ...) -> None: ...

class ReopenTicketResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class RejectTicketRequest(_message.Message):
    __slots__ = ("name", "author")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    name: str
    author: str
    def __init__(self, name: _Optional[str] = ..., author: _Optional[str] = ...) -> None: ...

class RejectTicketResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class ReassignTicketRequest(_message.Message):
    __slots__ = ("name", "author", "help_desk", "assignee")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    HELP_DESK_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    name: str
    author: str
    help_desk: str
    assignee: str
    def __init__(self, name: _Optional[str] = ..., author: _Optional[str] = ..., help_desk: _Optional[str] = ..., assignee: _Optional[str] = ...) -> None: ...

class ReassignTicketResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class PromoteToMajorIncidentRequest(_message.Message):
    __slots__ = ("name", "author")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    name: str
    author: str
    def __init__(self, name: _Optional[str] = ..., author: _Optional[str] = ...) -> None: ...

class PromoteToMajorIncidentResponse(_message.Message):
    __slots__ = ("ticket", "messages")
    TICKET_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    messages: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ..., messages: _Optional[_Iterable[str]] = ...) -> None: ...

class SetTicketWaitingRequest(_message.Message):
    __slots__ = ("name", "waiting")
    NAME_FIELD_NUMBER: _ClassVar[int]
    WAITING_FIELD_NUMBER: _ClassVar[int]
    name: str
    waiting: WaitingState
    def __init__(self, name: _Optional[str] = ..., waiting: _Optional[_Union[WaitingState, _Mapping]] = ...) -> None: ...

class SetTicketWaitingResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class AcceptSolutionRequest(_message.Message):
    __slots__ = ("name", "rating", "comment")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    name: str
    rating: int
    comment: str
    def __init__(self, name: _Optional[str] = ..., rating: _Optional[int] = ..., comment: _Optional[str] = ...) -> None: ...

class AcceptSolutionResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class RejectSolutionRequest(_message.Message):
    __slots__ = ("name", "comment")
    NAME_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    name: str
    comment: str
    def __init__(self, name: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class RejectSolutionResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class RespondToTicketRequest(_message.Message):
    __slots__ = ("name", "response_category", "description", "notes", "status")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    name: str
    response_category: str
    description: str
    notes: str
    status: str
    def __init__(self, name: _Optional[str] = ..., response_category: _Optional[str] = ..., description: _Optional[str] = ..., notes: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class RespondToTicketResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class AcceptResponseRequest(_message.Message):
    __slots__ = ("name", "accepted_by", "description", "notes")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_BY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    name: str
    accepted_by: str
    description: str
    notes: str
    def __init__(self, name: _Optional[str] = ..., accepted_by: _Optional[str] = ..., description: _Optional[str] = ..., notes: _Optional[str] = ...) -> None: ...

class AcceptResponseResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class ResolveTicketTemporarilyRequest(_message.Message):
    __slots__ = ("name", "resolution_category", "resolved_by", "resolve_time", "description", "accepted_by", "notes")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_BY_FIELD_NUMBER: _ClassVar[int]
    RESOLVE_TIME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_BY_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    name: str
    resolution_category: str
    resolved_by: str
    resolve_time: _timestamp_pb2.Timestamp
    description: str
    accepted_by: str
    notes: str
    def __init__(self, name: _Optional[str] = ..., resolution_category: _Optional[str] = ..., resolved_by: _Optional[str] = ..., resolve_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., description: _Optional[str] = ..., accepted_by: _Optional[str] = ..., notes: _Optional[str] = ...) -> None: ...

class ResolveTicketTemporarilyResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class ResolveTicketFinallyRequest(_message.Message):
    __slots__ = ("name", "resolution_category", "resolved_by", "description", "notes")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_BY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    name: str
    resolution_category: str
    resolved_by: str
    description: str
    notes: str
    def __init__(self, name: _Optional[str] = ..., resolution_category: _Optional[str] = ..., resolved_by: _Optional[str] = ..., description: _Optional[str] = ..., notes: _Optional[str] = ...) -> None: ...

class ResolveTicketFinallyResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class ListTicketsCloseToEstimatedCompletionRequest(_message.Message):
    __slots__ = ("parent", "period", "unit", "account", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    period: int
    unit: _common_pb2.TimeUnit
    account: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., period: _Optional[int] = ..., unit: _Optional[_Union[_common_pb2.TimeUnit, str]] = ..., account: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTicketsCloseToEstimatedCompletionResponse(_message.Message):
    __slots__ = ("tickets", "next_page_token")
    TICKETS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tickets: _containers.RepeatedCompositeFieldContainer[Ticket]
    next_page_token: str
    def __init__(self, tickets: _Optional[_Iterable[_Union[Ticket, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Comment(_message.Message):
    __slots__ = ("name", "vendor_record", "body", "author", "visibility", "is_solution", "attachments", "conversation_type", "subject", "email_ids", "cc_email_ids", "create_time", "update_time", "sequence")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    IS_SOLUTION_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    EMAIL_IDS_FIELD_NUMBER: _ClassVar[int]
    CC_EMAIL_IDS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    body: str
    author: str
    visibility: CommentVisibility
    is_solution: bool
    attachments: _containers.RepeatedScalarFieldContainer[str]
    conversation_type: str
    subject: str
    email_ids: _containers.RepeatedScalarFieldContainer[str]
    cc_email_ids: _containers.RepeatedScalarFieldContainer[str]
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    sequence: int
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., body: _Optional[str] = ..., author: _Optional[str] = ..., visibility: _Optional[_Union[CommentVisibility, str]] = ..., is_solution: _Optional[bool] = ..., attachments: _Optional[_Iterable[str]] = ..., conversation_type: _Optional[str] = ..., subject: _Optional[str] = ..., email_ids: _Optional[_Iterable[str]] = ..., cc_email_ids: _Optional[_Iterable[str]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sequence: _Optional[int] = ...) -> None: ...

class ListCommentsRequest(_message.Message):
    __slots__ = ("parent", "solutions_only", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    SOLUTIONS_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    solutions_only: bool
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., solutions_only: _Optional[bool] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCommentsResponse(_message.Message):
    __slots__ = ("comments", "next_page_token")
    COMMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    comments: _containers.RepeatedCompositeFieldContainer[Comment]
    next_page_token: str
    def __init__(self, comments: _Optional[_Iterable[_Union[Comment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateCommentRequest(_message.Message):
    __slots__ = ("parent", "comment", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    comment: Comment
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., comment: _Optional[_Union[Comment, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateCommentResponse(_message.Message):
    __slots__ = ("comment",)
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    comment: Comment
    def __init__(self, comment: _Optional[_Union[Comment, _Mapping]] = ...) -> None: ...

class UpdateCommentRequest(_message.Message):
    __slots__ = ("comment", "update_mask")
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    comment: Comment
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, comment: _Optional[_Union[Comment, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateCommentResponse(_message.Message):
    __slots__ = ("comment",)
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    comment: Comment
    def __init__(self, comment: _Optional[_Union[Comment, _Mapping]] = ...) -> None: ...

class Attachment(_message.Message):
    __slots__ = ("name", "vendor_record", "file_name", "url", "hash", "extension", "size_bytes", "content_type", "content")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    file_name: str
    url: str
    hash: str
    extension: str
    size_bytes: int
    content_type: str
    content: bytes
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., file_name: _Optional[str] = ..., url: _Optional[str] = ..., hash: _Optional[str] = ..., extension: _Optional[str] = ..., size_bytes: _Optional[int] = ..., content_type: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class ListAttachmentsRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListAttachmentsResponse(_message.Message):
    __slots__ = ("attachments",)
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    attachments: _containers.RepeatedCompositeFieldContainer[Attachment]
    def __init__(self, attachments: _Optional[_Iterable[_Union[Attachment, _Mapping]]] = ...) -> None: ...

class GetAttachmentRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetAttachmentResponse(_message.Message):
    __slots__ = ("attachment",)
    ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    attachment: Attachment
    def __init__(self, attachment: _Optional[_Union[Attachment, _Mapping]] = ...) -> None: ...

class LinkedTicket(_message.Message):
    __slots__ = ("ticket", "title")
    TICKET_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    ticket: str
    title: str
    def __init__(self, ticket: _Optional[str] = ..., title: _Optional[str] = ...) -> None: ...

class ListLinkedTicketsRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListLinkedTicketsResponse(_message.Message):
    __slots__ = ("linked_tickets",)
    LINKED_TICKETS_FIELD_NUMBER: _ClassVar[int]
    linked_tickets: _containers.RepeatedCompositeFieldContainer[LinkedTicket]
    def __init__(self, linked_tickets: _Optional[_Iterable[_Union[LinkedTicket, _Mapping]]] = ...) -> None: ...

class LinkTicketsRequest(_message.Message):
    __slots__ = ("name", "tickets")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TICKETS_FIELD_NUMBER: _ClassVar[int]
    name: str
    tickets: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., tickets: _Optional[_Iterable[str]] = ...) -> None: ...

class LinkTicketsResponse(_message.Message):
    __slots__ = ("ticket", "linked_tickets")
    TICKET_FIELD_NUMBER: _ClassVar[int]
    LINKED_TICKETS_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    linked_tickets: _containers.RepeatedCompositeFieldContainer[LinkedTicket]
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ..., linked_tickets: _Optional[_Iterable[_Union[LinkedTicket, _Mapping]]] = ...) -> None: ...

class ListTicketObserversRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListTicketObserversResponse(_message.Message):
    __slots__ = ("users",)
    USERS_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, users: _Optional[_Iterable[str]] = ...) -> None: ...

class AddTicketObserversRequest(_message.Message):
    __slots__ = ("name", "author", "users")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    name: str
    author: str
    users: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., author: _Optional[str] = ..., users: _Optional[_Iterable[str]] = ...) -> None: ...

class AddTicketObserversResponse(_message.Message):
    __slots__ = ("ticket", "users")
    TICKET_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    users: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ..., users: _Optional[_Iterable[str]] = ...) -> None: ...

class ListTicketCollaboratorsRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListTicketCollaboratorsResponse(_message.Message):
    __slots__ = ("users",)
    USERS_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, users: _Optional[_Iterable[str]] = ...) -> None: ...

class AddTicketCollaboratorsRequest(_message.Message):
    __slots__ = ("name", "author", "users")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    name: str
    author: str
    users: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., author: _Optional[str] = ..., users: _Optional[_Iterable[str]] = ...) -> None: ...

class AddTicketCollaboratorsResponse(_message.Message):
    __slots__ = ("ticket", "users")
    TICKET_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    users: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ..., users: _Optional[_Iterable[str]] = ...) -> None: ...

class ExternalEntityLink(_message.Message):
    __slots__ = ("name", "external_entity_id", "external_reference", "display_name", "status")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    name: str
    external_entity_id: str
    external_reference: str
    display_name: str
    status: str
    def __init__(self, name: _Optional[str] = ..., external_entity_id: _Optional[str] = ..., external_reference: _Optional[str] = ..., display_name: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class ListExternalEntityLinksRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListExternalEntityLinksResponse(_message.Message):
    __slots__ = ("links",)
    LINKS_FIELD_NUMBER: _ClassVar[int]
    links: _containers.RepeatedCompositeFieldContainer[ExternalEntityLink]
    def __init__(self, links: _Optional[_Iterable[_Union[ExternalEntityLink, _Mapping]]] = ...) -> None: ...

class LinkExternalEntityRequest(_message.Message):
    __slots__ = ("parent", "external_entity_id", "external_reference")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    parent: str
    external_entity_id: str
    external_reference: str
    def __init__(self, parent: _Optional[str] = ..., external_entity_id: _Optional[str] = ..., external_reference: _Optional[str] = ...) -> None: ...

class LinkExternalEntityResponse(_message.Message):
    __slots__ = ("link",)
    LINK_FIELD_NUMBER: _ClassVar[int]
    link: ExternalEntityLink
    def __init__(self, link: _Optional[_Union[ExternalEntityLink, _Mapping]] = ...) -> None: ...

class SetTicketCustomFieldRequest(_message.Message):
    __slots__ = ("name", "author", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    author: str
    value: _common_pb2.CustomFieldValue
    def __init__(self, name: _Optional[str] = ..., author: _Optional[str] = ..., value: _Optional[_Union[_common_pb2.CustomFieldValue, _Mapping]] = ...) -> None: ...

class SetTicketCustomFieldResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class ClearTicketCustomFieldRequest(_message.Message):
    __slots__ = ("name", "author", "field_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    FIELD_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    author: str
    field_id: str
    def __init__(self, name: _Optional[str] = ..., author: _Optional[str] = ..., field_id: _Optional[str] = ...) -> None: ...

class ClearTicketCustomFieldResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class CustomFieldDefinition(_message.Message):
    __slots__ = ("name", "field_id", "label", "description", "type", "vendor_type", "required", "categories", "shared")
    NAME_FIELD_NUMBER: _ClassVar[int]
    FIELD_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    VENDOR_TYPE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    SHARED_FIELD_NUMBER: _ClassVar[int]
    name: str
    field_id: str
    label: str
    description: str
    type: _common_pb2.CustomFieldType
    vendor_type: _common_pb2.VendorValue
    required: bool
    categories: _containers.RepeatedScalarFieldContainer[str]
    shared: bool
    def __init__(self, name: _Optional[str] = ..., field_id: _Optional[str] = ..., label: _Optional[str] = ..., description: _Optional[str] = ..., type: _Optional[_Union[_common_pb2.CustomFieldType, str]] = ..., vendor_type: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., required: _Optional[bool] = ..., categories: _Optional[_Iterable[str]] = ..., shared: _Optional[bool] = ...) -> None: ...

class ListCustomFieldDefinitionsRequest(_message.Message):
    __slots__ = ("parent", "category")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    parent: str
    category: str
    def __init__(self, parent: _Optional[str] = ..., category: _Optional[str] = ...) -> None: ...

class ListCustomFieldDefinitionsResponse(_message.Message):
    __slots__ = ("definitions",)
    DEFINITIONS_FIELD_NUMBER: _ClassVar[int]
    definitions: _containers.RepeatedCompositeFieldContainer[CustomFieldDefinition]
    def __init__(self, definitions: _Optional[_Iterable[_Union[CustomFieldDefinition, _Mapping]]] = ...) -> None: ...

class CustomFieldOptionNode(_message.Message):
    __slots__ = ("option", "children")
    OPTION_FIELD_NUMBER: _ClassVar[int]
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    option: _common_pb2.CustomFieldOption
    children: _containers.RepeatedCompositeFieldContainer[CustomFieldOptionNode]
    def __init__(self, option: _Optional[_Union[_common_pb2.CustomFieldOption, _Mapping]] = ..., children: _Optional[_Iterable[_Union[CustomFieldOptionNode, _Mapping]]] = ...) -> None: ...

class ListCustomFieldOptionsRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListCustomFieldOptionsResponse(_message.Message):
    __slots__ = ("options",)
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    options: _containers.RepeatedCompositeFieldContainer[CustomFieldOptionNode]
    def __init__(self, options: _Optional[_Iterable[_Union[CustomFieldOptionNode, _Mapping]]] = ...) -> None: ...

class TicketTask(_message.Message):
    __slots__ = ("name", "vendor_record", "title", "description", "state", "assignee", "help_desk", "due_time", "complete_time", "required", "linked_ticket")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    HELP_DESK_FIELD_NUMBER: _ClassVar[int]
    DUE_TIME_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    LINKED_TICKET_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    title: str
    description: str
    state: TaskState
    assignee: str
    help_desk: str
    due_time: _timestamp_pb2.Timestamp
    complete_time: _timestamp_pb2.Timestamp
    required: bool
    linked_ticket: str
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., state: _Optional[_Union[TaskState, str]] = ..., assignee: _Optional[str] = ..., help_desk: _Optional[str] = ..., due_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., complete_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., required: _Optional[bool] = ..., linked_ticket: _Optional[str] = ...) -> None: ...

class ListTicketTasksRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListTicketTasksResponse(_message.Message):
    __slots__ = ("tasks",)
    TASKS_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[TicketTask]
    def __init__(self, tasks: _Optional[_Iterable[_Union[TicketTask, _Mapping]]] = ...) -> None: ...

class RelateConfigurationItemsRequest(_message.Message):
    __slots__ = ("name", "keyword", "exact_match")
    NAME_FIELD_NUMBER: _ClassVar[int]
    KEYWORD_FIELD_NUMBER: _ClassVar[int]
    EXACT_MATCH_FIELD_NUMBER: _ClassVar[int]
    name: str
    keyword: str
    exact_match: bool
    def __init__(self, name: _Optional[str] = ..., keyword: _Optional[str] = ..., exact_match: _Optional[bool] = ...) -> None: ...

class RelateConfigurationItemsResponse(_message.Message):
    __slots__ = ("ticket",)
    TICKET_FIELD_NUMBER: _ClassVar[int]
    ticket: Ticket
    def __init__(self, ticket: _Optional[_Union[Ticket, _Mapping]] = ...) -> None: ...

class ListTicketsByConfigurationItemRequest(_message.Message):
    __slots__ = ("parent", "source_id", "group", "configuration_item_ids")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    CONFIGURATION_ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    parent: str
    source_id: str
    group: str
    configuration_item_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, parent: _Optional[str] = ..., source_id: _Optional[str] = ..., group: _Optional[str] = ..., configuration_item_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ConfigurationItemTickets(_message.Message):
    __slots__ = ("configuration_item_id", "group", "tickets")
    CONFIGURATION_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    TICKETS_FIELD_NUMBER: _ClassVar[int]
    configuration_item_id: str
    group: str
    tickets: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, configuration_item_id: _Optional[str] = ..., group: _Optional[str] = ..., tickets: _Optional[_Iterable[str]] = ...) -> None: ...

class ListTicketsByConfigurationItemResponse(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[ConfigurationItemTickets]
    def __init__(self, items: _Optional[_Iterable[_Union[ConfigurationItemTickets, _Mapping]]] = ...) -> None: ...

class TimeEntry(_message.Message):
    __slots__ = ("name", "user", "start_time", "end_time", "duration_seconds", "category", "comment")
    NAME_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    name: str
    user: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    duration_seconds: int
    category: _common_pb2.VendorValue
    comment: str
    def __init__(self, name: _Optional[str] = ..., user: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., duration_seconds: _Optional[int] = ..., category: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., comment: _Optional[str] = ...) -> None: ...

class ListTimeEntriesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListTimeEntriesResponse(_message.Message):
    __slots__ = ("time_entries",)
    TIME_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    time_entries: _containers.RepeatedCompositeFieldContainer[TimeEntry]
    def __init__(self, time_entries: _Optional[_Iterable[_Union[TimeEntry, _Mapping]]] = ...) -> None: ...

class CreateTimeEntryRequest(_message.Message):
    __slots__ = ("parent", "time_entry", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    TIME_ENTRY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    time_entry: TimeEntry
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., time_entry: _Optional[_Union[TimeEntry, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateTimeEntryResponse(_message.Message):
    __slots__ = ("time_entry",)
    TIME_ENTRY_FIELD_NUMBER: _ClassVar[int]
    time_entry: TimeEntry
    def __init__(self, time_entry: _Optional[_Union[TimeEntry, _Mapping]] = ...) -> None: ...

class DeleteTimeEntryRequest(_message.Message):
    __slots__ = ("name", "author")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    name: str
    author: str
    def __init__(self, name: _Optional[str] = ..., author: _Optional[str] = ...) -> None: ...

class DeleteTimeEntryResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TicketCategory(_message.Message):
    __slots__ = ("name", "display_name", "parent_category", "vendor_record")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    name: str
    display_name: str
    parent_category: str
    vendor_record: _common_pb2.VendorRecord
    def __init__(self, name: _Optional[str] = ..., display_name: _Optional[str] = ..., parent_category: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ...) -> None: ...

class ReferenceValue(_message.Message):
    __slots__ = ("value", "normalized")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    NORMALIZED_FIELD_NUMBER: _ClassVar[int]
    value: _common_pb2.VendorValue
    normalized: str
    def __init__(self, value: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., normalized: _Optional[str] = ...) -> None: ...

class ListTicketCategoriesRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "search")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    search: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., search: _Optional[str] = ...) -> None: ...

class ListTicketCategoriesResponse(_message.Message):
    __slots__ = ("categories", "next_page_token")
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    categories: _containers.RepeatedCompositeFieldContainer[TicketCategory]
    next_page_token: str
    def __init__(self, categories: _Optional[_Iterable[_Union[TicketCategory, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetTicketCategoryRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetTicketCategoryResponse(_message.Message):
    __slots__ = ("category",)
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    category: TicketCategory
    def __init__(self, category: _Optional[_Union[TicketCategory, _Mapping]] = ...) -> None: ...

class ListTicketPrioritiesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListTicketPrioritiesResponse(_message.Message):
    __slots__ = ("priorities",)
    PRIORITIES_FIELD_NUMBER: _ClassVar[int]
    priorities: _containers.RepeatedCompositeFieldContainer[ReferenceValue]
    def __init__(self, priorities: _Optional[_Iterable[_Union[ReferenceValue, _Mapping]]] = ...) -> None: ...

class ListTicketStatusesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListTicketStatusesResponse(_message.Message):
    __slots__ = ("statuses",)
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    statuses: _containers.RepeatedCompositeFieldContainer[ReferenceValue]
    def __init__(self, statuses: _Optional[_Iterable[_Union[ReferenceValue, _Mapping]]] = ...) -> None: ...

class ListTicketTypesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListTicketTypesResponse(_message.Message):
    __slots__ = ("types",)
    TYPES_FIELD_NUMBER: _ClassVar[int]
    types: _containers.RepeatedCompositeFieldContainer[ReferenceValue]
    def __init__(self, types: _Optional[_Iterable[_Union[ReferenceValue, _Mapping]]] = ...) -> None: ...

class ListTicketSourcesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListTicketSourcesResponse(_message.Message):
    __slots__ = ("sources",)
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    sources: _containers.RepeatedCompositeFieldContainer[ReferenceValue]
    def __init__(self, sources: _Optional[_Iterable[_Union[ReferenceValue, _Mapping]]] = ...) -> None: ...

class ListServicesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListServicesResponse(_message.Message):
    __slots__ = ("services",)
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    services: _containers.RepeatedCompositeFieldContainer[ReferenceValue]
    def __init__(self, services: _Optional[_Iterable[_Union[ReferenceValue, _Mapping]]] = ...) -> None: ...
