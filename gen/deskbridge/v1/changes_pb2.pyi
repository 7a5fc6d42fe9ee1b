import datetime

from deskbridge.v1 import events_pb2 as _events_pb2
from deskbridge.v1 import tickets_pb2 as _tickets_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class WatchRequest(_message.Message):
    __slots__ = ("parent", "resource_kinds", "send_initial_state", "resume_token", "actions", "ticket_filter", "bookmark_interval")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_KINDS_FIELD_NUMBER: _ClassVar[int]
    SEND_INITIAL_STATE_FIELD_NUMBER: _ClassVar[int]
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    TICKET_FILTER_FIELD_NUMBER: _ClassVar[int]
    BOOKMARK_INTERVAL_FIELD_NUMBER: _ClassVar[int]
    parent: str
    resource_kinds: _containers.RepeatedScalarFieldContainer[str]
    send_initial_state: bool
    resume_token: str
    actions: _containers.RepeatedScalarFieldContainer[_events_pb2.ChangeAction]
    ticket_filter: TicketFilter
    bookmark_interval: _duration_pb2.Duration
    def __init__(self, parent: _Optional[str] = ..., resource_kinds: _Optional[_Iterable[str]] = ..., send_initial_state: _Optional[bool] = ..., resume_token: _Optional[str] = ..., actions: _Optional[_Iterable[_Union[_events_pb2.ChangeAction, str]]] = ..., ticket_filter: _Optional[_Union[TicketFilter, _Mapping]] = ..., bookmark_interval: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class TicketFilter(_message.Message):
    __slots__ = ("states", "help_desk", "requester", "assignee")
    STATES_FIELD_NUMBER: _ClassVar[int]
    HELP_DESK_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    states: _containers.RepeatedScalarFieldContainer[_tickets_pb2.TicketState]
    help_desk: str
    requester: str
    assignee: str
    def __init__(self, states: _Optional[_Iterable[_Union[_tickets_pb2.TicketState, str]]] = ..., help_desk: _Optional[str] = ..., requester: _Optional[str] = ..., assignee: _Optional[str] = ...) -> None: ...

class WatchResponse(_message.Message):
    __slots__ = ("change", "bookmark", "initial_state_end", "resume_token")
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    BOOKMARK_FIELD_NUMBER: _ClassVar[int]
    INITIAL_STATE_END_FIELD_NUMBER: _ClassVar[int]
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    change: WatchedChange
    bookmark: Bookmark
    initial_state_end: InitialStateEnd
    resume_token: str
    def __init__(self, change: _Optional[_Union[WatchedChange, _Mapping]] = ..., bookmark: _Optional[_Union[Bookmark, _Mapping]] = ..., initial_state_end: _Optional[_Union[InitialStateEnd, _Mapping]] = ..., resume_token: _Optional[str] = ...) -> None: ...

class WatchedChange(_message.Message):
    __slots__ = ("id", "source", "type", "subject", "time", "revision", "initial_state", "stream_sequence", "ticket", "comment", "user", "group", "company", "location", "help_desk", "help_desk_level", "article", "article_category", "announcement", "approval", "internal_note", "time_entry")
    ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    INITIAL_STATE_FIELD_NUMBER: _ClassVar[int]
    STREAM_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TICKET_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    HELP_DESK_FIELD_NUMBER: _ClassVar[int]
    HELP_DESK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    ANNOUNCEMENT_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_FIELD_NUMBER: _ClassVar[int]
    INTERNAL_NOTE_FIELD_NUMBER: _ClassVar[int]
    TIME_ENTRY_FIELD_NUMBER: _ClassVar[int]
    id: str
    source: str
    type: str
    subject: str
    time: _timestamp_pb2.Timestamp
    revision: str
    initial_state: bool
    stream_sequence: int
    ticket: _events_pb2.TicketEvent
    comment: _events_pb2.CommentEvent
    user: _events_pb2.UserEvent
    group: _events_pb2.GroupEvent
    company: _events_pb2.CompanyEvent
    location: _events_pb2.LocationEvent
    help_desk: _events_pb2.HelpDeskEvent
    help_desk_level: _events_pb2.HelpDeskLevelEvent
    article: _events_pb2.ArticleEvent
    article_category: _events_pb2.ArticleCategoryEvent
    announcement: _events_pb2.AnnouncementEvent
    approval: _events_pb2.ApprovalEvent
    internal_note: _events_pb2.InternalNoteEvent
    time_entry: _events_pb2.TimeEntryEvent
    def __init__(self, id: _Optional[str] = ..., source: _Optional[str] = ..., type: _Optional[str] = ..., subject: _Optional[str] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revision: _Optional[str] = ..., initial_state: _Optional[bool] = ..., stream_sequence: _Optional[int] = ..., ticket: _Optional[_Union[_events_pb2.TicketEvent, _Mapping]] = ..., comment: _Optional[_Union[_events_pb2.CommentEvent, _Mapping]] = ..., user: _Optional[_Union[_events_pb2.UserEvent, _Mapping]] = ..., group: _Optional[_Union[_events_pb2.GroupEvent, _Mapping]] = ..., company: _Optional[_Union[_events_pb2.CompanyEvent, _Mapping]] = ..., location: _Optional[_Union[_events_pb2.LocationEvent, _Mapping]] = ..., help_desk: _Optional[_Union[_events_pb2.HelpDeskEvent, _Mapping]] = ..., help_desk_level: _Optional[_Union[_events_pb2.HelpDeskLevelEvent, _Mapping]] = ..., article: _Optional[_Union[_events_pb2.ArticleEvent, _Mapping]] = ..., article_category: _Optional[_Union[_events_pb2.ArticleCategoryEvent, _Mapping]] = ..., announcement: _Optional[_Union[_events_pb2.AnnouncementEvent, _Mapping]] = ..., approval: _Optional[_Union[_events_pb2.ApprovalEvent, _Mapping]] = ..., internal_note: _Optional[_Union[_events_pb2.InternalNoteEvent, _Mapping]] = ..., time_entry: _Optional[_Union[_events_pb2.TimeEntryEvent, _Mapping]] = ...) -> None: ...

class Bookmark(_message.Message):
    __slots__ = ("time",)
    TIME_FIELD_NUMBER: _ClassVar[int]
    time: _timestamp_pb2.Timestamp
    def __init__(self, time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class InitialStateEnd(_message.Message):
    __slots__ = ("resource_kinds", "resource_count")
    RESOURCE_KINDS_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_COUNT_FIELD_NUMBER: _ClassVar[int]
    resource_kinds: _containers.RepeatedScalarFieldContainer[str]
    resource_count: int
    def __init__(self, resource_kinds: _Optional[_Iterable[str]] = ..., resource_count: _Optional[int] = ...) -> None: ...
