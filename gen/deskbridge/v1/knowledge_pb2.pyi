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

class ArticleVisibility(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ARTICLE_VISIBILITY_UNSPECIFIED: _ClassVar[ArticleVisibility]
    ARTICLE_VISIBILITY_PRIVATE: _ClassVar[ArticleVisibility]
    ARTICLE_VISIBILITY_REGISTERED_USERS: _ClassVar[ArticleVisibility]
    ARTICLE_VISIBILITY_PUBLIC: _ClassVar[ArticleVisibility]

class ArticleOrder(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ARTICLE_ORDER_UNSPECIFIED: _ClassVar[ArticleOrder]
    ARTICLE_ORDER_LAST_UPDATE_ASCENDING: _ClassVar[ArticleOrder]
    ARTICLE_ORDER_LAST_UPDATE_DESCENDING: _ClassVar[ArticleOrder]

class AnnouncementImportance(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ANNOUNCEMENT_IMPORTANCE_UNSPECIFIED: _ClassVar[AnnouncementImportance]
    ANNOUNCEMENT_IMPORTANCE_HIGH: _ClassVar[AnnouncementImportance]
    ANNOUNCEMENT_IMPORTANCE_MEDIUM: _ClassVar[AnnouncementImportance]
    ANNOUNCEMENT_IMPORTANCE_LOW: _ClassVar[AnnouncementImportance]

class AnnouncementState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ANNOUNCEMENT_STATE_UNSPECIFIED: _ClassVar[AnnouncementState]
    ANNOUNCEMENT_STATE_OPEN: _ClassVar[AnnouncementState]
    ANNOUNCEMENT_STATE_CLOSED: _ClassVar[AnnouncementState]
ARTICLE_VISIBILITY_UNSPECIFIED: ArticleVisibility
ARTICLE_VISIBILITY_PRIVATE: ArticleVisibility
ARTICLE_VISIBILITY_REGISTERED_USERS: ArticleVisibility
ARTICLE_VISIBILITY_PUBLIC: ArticleVisibility
ARTICLE_ORDER_UNSPECIFIED: ArticleOrder
ARTICLE_ORDER_LAST_UPDATE_ASCENDING: ArticleOrder
ARTICLE_ORDER_LAST_UPDATE_DESCENDING: ArticleOrder
ANNOUNCEMENT_IMPORTANCE_UNSPECIFIED: AnnouncementImportance
ANNOUNCEMENT_IMPORTANCE_HIGH: AnnouncementImportance
ANNOUNCEMENT_IMPORTANCE_MEDIUM: AnnouncementImportance
ANNOUNCEMENT_IMPORTANCE_LOW: AnnouncementImportance
ANNOUNCEMENT_STATE_UNSPECIFIED: AnnouncementState
ANNOUNCEMENT_STATE_OPEN: AnnouncementState
ANNOUNCEMENT_STATE_CLOSED: AnnouncementState

class ArticleAttachment(_message.Message):
    __slots__ = ("name", "file_name", "url")
    NAME_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    name: str
    file_name: str
    url: str
    def __init__(self, name: _Optional[str] = ..., file_name: _Optional[str] = ..., url: _Optional[str] = ...) -> None: ...

class Article(_message.Message):
    __slots__ = ("name", "vendor_record", "title", "content", "description", "category", "author", "responsible", "private", "visibility", "rating", "view_count", "solved_ticket_count", "attachments", "create_time", "update_time", "etag")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    RESPONSIBLE_FIELD_NUMBER: _ClassVar[int]
    PRIVATE_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    RATING_FIELD_NUMBER: _ClassVar[int]
    VIEW_COUNT_FIELD_NUMBER: _ClassVar[int]
    SOLVED_TICKET_COUNT_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    title: str
    content: str
    description: str
    category: str
    author: str
    responsible: str
    private: bool
    visibility: ArticleVisibility
    rating: float
    view_count: int
    solved_ticket_count: int
    attachments: _containers.RepeatedCompositeFieldContainer[ArticleAttachment]
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    etag: str
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., title: _Optional[str] = ..., content: _Optional[str] = ..., description: _Optional[str] = ..., category: _Optional[str] = ..., author: _Optional[str] = ..., responsible: _Optional[str] = ..., private: _Optional[bool] = ..., visibility: _Optional[_Union[ArticleVisibility, str]] = ..., rating: _Optional[float] = ..., view_count: _Optional[int] = ..., solved_ticket_count: _Optional[int] = ..., attachments: _Optional[_Iterable[_Union[ArticleAttachment, _Mapping]]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., etag: _Optional[str] = ...) -> None: ...

class CreateArticleRequest(_message.Message):
    __slots__ = ("parent", "article", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    article: Article
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., article: _Optional[_Union[Article, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateArticleResponse(_message.Message):
    __slots__ = ("article",)
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    article: Article
    def __init__(self, article: _Optional[_Union[Article, _Mapping]] = ...) -> None: ...

class GetArticleRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetArticleResponse(_message.Message):
    __slots__ = ("article",)
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    article: Article
    def __init__(self, article: _Optional[_Union[Article, _Mapping]] = ...) -> None: ...

class BatchGetArticlesRequest(_message.Message):
    __slots__ = ("parent", "names")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    parent: str
    names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, parent: _Optional[str] = ..., names: _Optional[_Iterable[str]] = ...) -> None: ...

class BatchGetArticlesResponse(_message.Message):
    __slots__ = ("articles",)
    ARTICLES_FIELD_NUMBER: _ClassVar[int]
    articles: _containers.RepeatedCompositeFieldContainer[Article]
    def __init__(self, articles: _Optional[_Iterable[_Union[Article, _Mapping]]] = ...) -> None: ...

class ListArticlesRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "category", "visibility", "order")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    category: str
    visibility: ArticleVisibility
    order: ArticleOrder
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., category: _Optional[str] = ..., visibility: _Optional[_Union[ArticleVisibility, str]] = ..., order: _Optional[_Union[ArticleOrder, str]] = ...) -> None: ...

class ListArticlesResponse(_message.Message):
    __slots__ = ("articles", "next_page_token")
    ARTICLES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    articles: _containers.RepeatedCompositeFieldContainer[Article]
    next_page_token: str
    def __init__(self, articles: _Optional[_Iterable[_Union[Article, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateArticleRequest(_message.Message):
    __slots__ = ("article", "update_mask", "author")
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    article: Article
    update_mask: _field_mask_pb2.FieldMask
    author: str
    def __init__(self, article: _Optional[_Union[Article, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., author: _Optional[str] = ...) -> None: ...

class UpdateArticleResponse(_message.Message):
    __slots__ = ("article",)
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    article: Article
    def __init__(self, article: _Optional[_Union[Article, _Mapping]] = ...) -> None: ...

class DeleteArticleRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteArticleResponse(_message.Message):
    __slots__ = ("article",)
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    article: Article
    def __init__(self, article: _Optional[_Union[Article, _Mapping]] = ...) -> None: ...

class SearchArticlesRequest(_message.Message):
    __slots__ = ("parent", "query", "min_score", "page_size")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    MIN_SCORE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    parent: str
    query: str
    min_score: float
    page_size: int
    def __init__(self, parent: _Optional[str] = ..., query: _Optional[str] = ..., min_score: _Optional[float] = ..., page_size: _Optional[int] = ...) -> None: ...

class ArticleSearchResult(_message.Message):
    __slots__ = ("article", "score")
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    article: Article
    score: float
    def __init__(self, article: _Optional[_Union[Article, _Mapping]] = ..., score: _Optional[float] = ...) -> None: ...

class SearchArticlesResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[ArticleSearchResult]
    def __init__(self, results: _Optional[_Iterable[_Union[ArticleSearchResult, _Mapping]]] = ...) -> None: ...

class ListArticleAttachmentsRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListArticleAttachmentsResponse(_message.Message):
    __slots__ = ("attachments",)
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    attachments: _containers.RepeatedCompositeFieldContainer[ArticleAttachment]
    def __init__(self, attachments: _Optional[_Iterable[_Union[ArticleAttachment, _Mapping]]] = ...) -> None: ...

class FileUpload(_message.Message):
    __slots__ = ("file_name", "content", "content_type")
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    file_name: str
    content: bytes
    content_type: str
    def __init__(self, file_name: _Optional[str] = ..., content: _Optional[bytes] = ..., content_type: _Optional[str] = ...) -> None: ...

class AddArticleAttachmentsRequest(_message.Message):
    __slots__ = ("parent", "author", "files")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    parent: str
    author: str
    files: _containers.RepeatedCompositeFieldContainer[FileUpload]
    def __init__(self, parent: _Optional[str] = ..., author: _Optional[str] = ..., files: _Optional[_Iterable[_Union[FileUpload, _Mapping]]] = ...) -> None: ...

class AddArticleAttachmentsResponse(_message.Message):
    __slots__ = ("article",)
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    article: Article
    def __init__(self, article: _Optional[_Union[Article, _Mapping]] = ...) -> None: ...

class DeleteArticleAttachmentRequest(_message.Message):
    __slots__ = ("name", "author")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    name: str
    author: str
    def __init__(self, name: _Optional[str] = ..., author: _Optional[str] = ...) -> None: ...

class DeleteArticleAttachmentResponse(_message.Message):
    __slots__ = ("article",)
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    article: Article
    def __init__(self, article: _Optional[_Union[Article, _Mapping]] = ...) -> None: ...

class ArticleCategory(_message.Message):
    __slots__ = ("name", "vendor_record", "display_name", "parent_category")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    display_name: str
    parent_category: str
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., display_name: _Optional[str] = ..., parent_category: _Optional[str] = ...) -> None: ...

class CreateArticleCategoryRequest(_message.Message):
    __slots__ = ("parent", "category", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    category: ArticleCategory
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., category: _Optional[_Union[ArticleCategory, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateArticleCategoryResponse(_message.Message):
    __slots__ = ("category",)
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    category: ArticleCategory
    def __init__(self, category: _Optional[_Union[ArticleCategory, _Mapping]] = ...) -> None: ...

class GetArticleCategoryRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetArticleCategoryResponse(_message.Message):
    __slots__ = ("category",)
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    category: ArticleCategory
    def __init__(self, category: _Optional[_Union[ArticleCategory, _Mapping]] = ...) -> None: ...

class BatchGetArticleCategoriesRequest(_message.Message):
    __slots__ = ("parent", "names")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    parent: str
    names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, parent: _Optional[str] = ..., names: _Optional[_Iterable[str]] = ...) -> None: ...

class BatchGetArticleCategoriesResponse(_message.Message):
    __slots__ = ("categories",)
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    categories: _containers.RepeatedCompositeFieldContainer[ArticleCategory]
    def __init__(self, categories: _Optional[_Iterable[_Union[ArticleCategory, _Mapping]]] = ...) -> None: ...

class ListArticleCategoriesRequest(_message.Message):
    __slots__ = ("parent", "parent_category", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PARENT_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    parent_category: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., parent_category: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListArticleCategoriesResponse(_message.Message):
    __slots__ = ("categories", "next_page_token")
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    categories: _containers.RepeatedCompositeFieldContainer[ArticleCategory]
    next_page_token: str
    def __init__(self, categories: _Optional[_Iterable[_Union[ArticleCategory, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateArticleCategoryRequest(_message.Message):
    __slots__ = ("category", "update_mask")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    category: ArticleCategory
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, category: _Optional[_Union[ArticleCategory, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateArticleCategoryResponse(_message.Message):
    __slots__ = ("category",)
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    category: ArticleCategory
    def __init__(self, category: _Optional[_Union[ArticleCategory, _Mapping]] = ...) -> None: ...

class DeleteArticleCategoryRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteArticleCategoryResponse(_message.Message):
    __slots__ = ("category",)
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    category: ArticleCategory
    def __init__(self, category: _Optional[_Union[ArticleCategory, _Mapping]] = ...) -> None: ...

class Announcement(_message.Message):
    __slots__ = ("name", "vendor_record", "title", "body", "importance", "vendor_importance", "state", "vendor_state", "affected_help_desks", "affected_groups", "estimated_resolution_time", "creator", "major_incident", "create_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    IMPORTANCE_FIELD_NUMBER: _ClassVar[int]
    VENDOR_IMPORTANCE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    VENDOR_STATE_FIELD_NUMBER: _ClassVar[int]
    AFFECTED_HELP_DESKS_FIELD_NUMBER: _ClassVar[int]
    AFFECTED_GROUPS_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_RESOLUTION_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    MAJOR_INCIDENT_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    title: str
    body: str
    importance: AnnouncementImportance
    vendor_importance: _common_pb2.VendorValue
    state: AnnouncementState
    vendor_state: _common_pb2.VendorValue
    affected_help_desks: _containers.RepeatedScalarFieldContainer[str]
    affected_groups: _containers.RepeatedScalarFieldContainer[str]
    estimated_resolution_time: _timestamp_pb2.Timestamp
    creator: str
    major_incident: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., importance: _Optional[_Union[AnnouncementImportance, str]] = ..., vendor_importance: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., state: _Optional[_Union[AnnouncementState, str]] = ..., vendor_state: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., affected_help_desks: _Optional[_Iterable[str]] = ..., affected_groups: _Optional[_Iterable[str]] = ..., estimated_resolution_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., creator: _Optional[str] = ..., major_incident: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateAnnouncementRequest(_message.Message):
    __slots__ = ("parent", "announcement", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    ANNOUNCEMENT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    announcement: Announcement
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., announcement: _Optional[_Union[Announcement, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateAnnouncementResponse(_message.Message):
    __slots__ = ("announcement",)
    ANNOUNCEMENT_FIELD_NUMBER: _ClassVar[int]
    announcement: Announcement
    def __init__(self, announcement: _Optional[_Union[Announcement, _Mapping]] = ...) -> None: ...

class GetAnnouncementRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetAnnouncementResponse(_message.Message):
    __slots__ = ("announcement",)
    ANNOUNCEMENT_FIELD_NUMBER: _ClassVar[int]
    announcement: Announcement
    def __init__(self, announcement: _Optional[_Union[Announcement, _Mapping]] = ...) -> None: ...

class ListAnnouncementsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "state")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    state: AnnouncementState
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., state: _Optional[_Union[AnnouncementState, str]] = ...) -> None: ...

class ListAnnouncementsResponse(_message.Message):
    __slots__ = ("announcements", "next_page_token")
    ANNOUNCEMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    announcements: _containers.RepeatedCompositeFieldContainer[Announcement]
    next_page_token: str
    def __init__(self, announcements: _Optional[_Iterable[_Union[Announcement, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateAnnouncementRequest(_message.Message):
    __slots__ = ("announcement", "update_mask")
    ANNOUNCEMENT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    announcement: Announcement
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, announcement: _Optional[_Union[Announcement, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateAnnouncementResponse(_message.Message):
    __slots__ = ("announcement",)
    ANNOUNCEMENT_FIELD_NUMBER: _ClassVar[int]
    announcement: Announcement
    def __init__(self, announcement: _Optional[_Union[Announcement, _Mapping]] = ...) -> None: ...

class CloseAnnouncementRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class CloseAnnouncementResponse(_message.Message):
    __slots__ = ("announcement",)
    ANNOUNCEMENT_FIELD_NUMBER: _ClassVar[int]
    announcement: Announcement
    def __init__(self, announcement: _Optional[_Union[Announcement, _Mapping]] = ...) -> None: ...

class AnnouncementUpdate(_message.Message):
    __slots__ = ("name", "body", "creator", "is_solution", "create_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    IS_SOLUTION_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    body: str
    creator: str
    is_solution: bool
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., body: _Optional[str] = ..., creator: _Optional[str] = ..., is_solution: _Optional[bool] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AddAnnouncementUpdateRequest(_message.Message):
    __slots__ = ("parent", "update")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_FIELD_NUMBER: _ClassVar[int]
    parent: str
    update: AnnouncementUpdate
    def __init__(self, parent: _Optional[str] = ..., update: _Optional[_Union[AnnouncementUpdate, _Mapping]] = ...) -> None: ...

class AddAnnouncementUpdateResponse(_message.Message):
    __slots__ = ("announcement", "update")
    ANNOUNCEMENT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_FIELD_NUMBER: _ClassVar[int]
    announcement: Announcement
    update: AnnouncementUpdate
    def __init__(self, announcement: _Optional[_Union[Announcement, _Mapping]] = ..., update: _Optional[_Union[AnnouncementUpdate, _Mapping]] = ...) -> None: ...

class ListAnnouncementUpdatesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListAnnouncementUpdatesResponse(_message.Message):
    __slots__ = ("updates",)
    UPDATES_FIELD_NUMBER: _ClassVar[int]
    updates: _containers.RepeatedCompositeFieldContainer[AnnouncementUpdate]
    def __init__(self, updates: _Optional[_Iterable[_Union[AnnouncementUpdate, _Mapping]]] = ...) -> None: ...

class ListAnnouncementImportancesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListAnnouncementImportancesResponse(_message.Message):
    __slots__ = ("importances",)
    IMPORTANCES_FIELD_NUMBER: _ClassVar[int]
    importances: _containers.RepeatedCompositeFieldContainer[_common_pb2.VendorValue]
    def __init__(self, importances: _Optional[_Iterable[_Union[_common_pb2.VendorValue, _Mapping]]] = ...) -> None: ...

class ListAnnouncementStatusesRequest(_message.Message):
    __slots__ = ("parent",)
    PARENT_FIELD_NUMBER: _ClassVar[int]
    parent: str
    def __init__(self, parent: _Optional[str] = ...) -> None: ...

class ListAnnouncementStatusesResponse(_message.Message):
    __slots__ = ("statuses",)
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    statuses: _containers.RepeatedCompositeFieldContainer[_common_pb2.VendorValue]
    def __init__(self, statuses: _Optional[_Iterable[_Union[_common_pb2.VendorValue, _Mapping]]] = ...) -> None: ...
