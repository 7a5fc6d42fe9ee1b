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

class UserKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    USER_KIND_UNSPECIFIED: _ClassVar[UserKind]
    USER_KIND_AGENT: _ClassVar[UserKind]
    USER_KIND_END_USER: _ClassVar[UserKind]

class AccountType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACCOUNT_TYPE_UNSPECIFIED: _ClassVar[AccountType]
    ACCOUNT_TYPE_SYSTEM: _ClassVar[AccountType]
    ACCOUNT_TYPE_LDAP: _ClassVar[AccountType]
    ACCOUNT_TYPE_WEBSERVICE: _ClassVar[AccountType]
    ACCOUNT_TYPE_CUSTOMER: _ClassVar[AccountType]
    ACCOUNT_TYPE_MAILBOX: _ClassVar[AccountType]

class PhoneKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PHONE_KIND_UNSPECIFIED: _ClassVar[PhoneKind]
    PHONE_KIND_ANY: _ClassVar[PhoneKind]
    PHONE_KIND_PHONE: _ClassVar[PhoneKind]
    PHONE_KIND_OFFICE: _ClassVar[PhoneKind]
    PHONE_KIND_MOBILE: _ClassVar[PhoneKind]
    PHONE_KIND_FAX: _ClassVar[PhoneKind]
    PHONE_KIND_OTHER: _ClassVar[PhoneKind]

class PasswordResetKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PASSWORD_RESET_KIND_UNSPECIFIED: _ClassVar[PasswordResetKind]
    PASSWORD_RESET_KIND_NEW_USER: _ClassVar[PasswordResetKind]
    PASSWORD_RESET_KIND_RESET_PASSWORD: _ClassVar[PasswordResetKind]

class AssignmentEngine(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ASSIGNMENT_ENGINE_UNSPECIFIED: _ClassVar[AssignmentEngine]
    ASSIGNMENT_ENGINE_ROUND_ROBIN: _ClassVar[AssignmentEngine]
    ASSIGNMENT_ENGINE_BY_LOAD: _ClassVar[AssignmentEngine]
    ASSIGNMENT_ENGINE_FREE: _ClassVar[AssignmentEngine]
    ASSIGNMENT_ENGINE_MANUAL: _ClassVar[AssignmentEngine]

class HelpDeskStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HELP_DESK_STATUS_UNSPECIFIED: _ClassVar[HelpDeskStatus]
    HELP_DESK_STATUS_ENABLED: _ClassVar[HelpDeskStatus]
    HELP_DESK_STATUS_SUSPENDED: _ClassVar[HelpDeskStatus]
    HELP_DESK_STATUS_OUT_OF_WORK_TIME: _ClassVar[HelpDeskStatus]
    HELP_DESK_STATUS_DISABLED: _ClassVar[HelpDeskStatus]
USER_KIND_UNSPECIFIED: UserKind
USER_KIND_AGENT: UserKind
USER_KIND_END_USER: UserKind
ACCOUNT_TYPE_UNSPECIFIED: AccountType
ACCOUNT_TYPE_SYSTEM: AccountType
ACCOUNT_TYPE_LDAP: AccountType
ACCOUNT_TYPE_WEBSERVICE: AccountType
ACCOUNT_TYPE_CUSTOMER: AccountType
ACCOUNT_TYPE_MAILBOX: AccountType
PHONE_KIND_UNSPECIFIED: PhoneKind
PHONE_KIND_ANY: PhoneKind
PHONE_KIND_PHONE: PhoneKind
PHONE_KIND_OFFICE: PhoneKind
PHONE_KIND_MOBILE: PhoneKind
PHONE_KIND_FAX: PhoneKind
PHONE_KIND_OTHER: PhoneKind
PASSWORD_RESET_KIND_UNSPECIFIED: PasswordResetKind
PASSWORD_RESET_KIND_NEW_USER: PasswordResetKind
PASSWORD_RESET_KIND_RESET_PASSWORD: PasswordResetKind
ASSIGNMENT_ENGINE_UNSPECIFIED: AssignmentEngine
ASSIGNMENT_ENGINE_ROUND_ROBIN: AssignmentEngine
ASSIGNMENT_ENGINE_BY_LOAD: AssignmentEngine
ASSIGNMENT_ENGINE_FREE: AssignmentEngine
ASSIGNMENT_ENGINE_MANUAL: AssignmentEngine
HELP_DESK_STATUS_UNSPECIFIED: HelpDeskStatus
HELP_DESK_STATUS_ENABLED: HelpDeskStatus
HELP_DESK_STATUS_SUSPENDED: HelpDeskStatus
HELP_DESK_STATUS_OUT_OF_WORK_TIME: HelpDeskStatus
HELP_DESK_STATUS_DISABLED: HelpDeskStatus

class UserRoles(_message.Message):
    __slots__ = ("end_user", "smart_user", "operator", "super_operator", "administrator")
    END_USER_FIELD_NUMBER: _ClassVar[int]
    SMART_USER_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    SUPER_OPERATOR_FIELD_NUMBER: _ClassVar[int]
    ADMINISTRATOR_FIELD_NUMBER: _ClassVar[int]
    end_user: bool
    smart_user: bool
    operator: bool
    super_operator: bool
    administrator: bool
    def __init__(self, end_user: _Optional[bool] = ..., smart_user: _Optional[bool] = ..., operator: _Optional[bool] = ..., super_operator: _Optional[bool] = ..., administrator: _Optional[bool] = ...) -> None: ...

class PhoneNumbers(_message.Message):
    __slots__ = ("phone", "mobile", "office", "other", "fax")
    PHONE_FIELD_NUMBER: _ClassVar[int]
    MOBILE_FIELD_NUMBER: _ClassVar[int]
    OFFICE_FIELD_NUMBER: _ClassVar[int]
    OTHER_FIELD_NUMBER: _ClassVar[int]
    FAX_FIELD_NUMBER: _ClassVar[int]
    phone: str
    mobile: str
    office: str
    other: str
    fax: str
    def __init__(self, phone: _Optional[str] = ..., mobile: _Optional[str] = ..., office: _Optional[str] = ..., other: _Optional[str] = ..., fax: _Optional[str] = ...) -> None: ...

class User(_message.Message):
    __slots__ = ("name", "vendor_record", "given_name", "family_name", "display_name", "username", "email", "other_email", "phones", "address", "city", "country", "birthday", "position", "department", "manager", "employee_number", "document_id", "language", "location", "kind", "account_type", "vendor_account_type", "external", "disabled", "deleted", "role_name", "roles", "company_names", "vip", "verified", "allow_login", "custom_fields", "create_time", "update_time", "etag")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    GIVEN_NAME_FIELD_NUMBER: _ClassVar[int]
    FAMILY_NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    OTHER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONES_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    BIRTHDAY_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    MANAGER_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_TYPE_FIELD_NUMBER: _ClassVar[int]
    VENDOR_ACCOUNT_TYPE_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_FIELD_NUMBER: _ClassVar[int]
    DISABLED_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    ROLE_NAME_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAMES_FIELD_NUMBER: _ClassVar[int]
    VIP_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_FIELD_NUMBER: _ClassVar[int]
    ALLOW_LOGIN_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELDS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    given_name: str
    family_name: str
    display_name: str
    username: str
    email: str
    other_email: str
    phones: PhoneNumbers
    address: str
    city: str
    country: str
    birthday: str
    position: str
    department: str
    manager: str
    employee_number: str
    document_id: str
    language: str
    location: str
    kind: UserKind
    account_type: AccountType
    vendor_account_type: _common_pb2.VendorValue
    external: bool
    disabled: bool
    deleted: bool
    role_name: str
    roles: UserRoles
    company_names: _containers.RepeatedScalarFieldContainer[str]
    vip: bool
    verified: bool
    allow_login: bool
    custom_fields: _containers.RepeatedCompositeFieldContainer[_common_pb2.CustomFieldValue]
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    etag: str
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., given_name: _Optional[str] = ..., family_name: _Optional[str] = ..., display_name: _Optional[str] = ..., username: _Optional[str] = ..., email: _Optional[str] = ..., other_email: _Optional[str] = ..., phones: _Optional[_Union[PhoneNumbers, _Mapping]] = ..., address: _Optional[str] = ..., city: _Optional[str] = ..., country: _Optional[str] = ..., birthday: _Optional[str] = ..., position: _Optional[str] = ..., department: _Optional[str] = ..., manager: _Optional[str] = ..., employee_number: _Optional[str] = ..., document_id: _Optional[str] = ..., language: _Optional[str] = ..., location: _Optional[str] = ..., kind: _Optional[_Union[UserKind, str]] = ..., account_type: _Optional[_Union[AccountType, str]] = ..., vendor_account_type: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., external: _Optional[bool] = ..., disabled: _Optional[bool] = ..., deleted: _Optional[bool] = ..., role_name: _Optional[str] = ..., roles: _Optional[_Union[UserRoles, _Mapping]] = ..., company_names: _Optional[_Iterable[str]] = ..., vip: _Optional[bool] = ..., verified: _Optional[bool] = ..., allow_login: _Optional[bool] = ..., custom_fields: _Optional[_Iterable[_Union[_common_pb2.CustomFieldValue, _Mapping]]] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., etag: _Optional[str] = ...) -> None: ...

class CreateUserRequest(_message.Message):
    __slots__ = ("parent", "user", "password", "send_set_password_email", "force_password_change", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    SEND_SET_PASSWORD_EMAIL_FIELD_NUMBER: _ClassVar[int]
    FORCE_PASSWORD_CHANGE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    user: User
    password: str
    send_set_password_email: bool
    force_password_change: bool
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., user: _Optional[_Union[User, _Mapping]] = ..., password: _Optional[str] = ..., send_set_password_email: _Optional[bool] = ..., force_password_change: _Optional[bool] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class GetUserRequest(_message.Message):
    __slots__ = ("name", "include_disabled")
    NAME_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DISABLED_FIELD_NUMBER: _ClassVar[int]
    name: str
    include_disabled: bool
    def __init__(self, name: _Optional[str] = ..., include_disabled: _Optional[bool] = ...) -> None: ...

class GetUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class FindUserRequest(_message.Message):
    __slots__ = ("parent", "email", "username", "phone", "employee_number", "phone_kind", "include_disabled")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PHONE_KIND_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DISABLED_FIELD_NUMBER: _ClassVar[int]
    parent: str
    email: str
    username: str
    phone: str
    employee_number: str
    phone_kind: PhoneKind
    include_disabled: bool
    def __init__(self, parent: _Optional[str] = ..., email: _Optional[str] = ..., username: _Optional[str] = ..., phone: _Optional[str] = ..., employee_number: _Optional[str] = ..., phone_kind: _Optional[_Union[PhoneKind, str]] = ..., include_disabled: _Optional[bool] = ...) -> None: ...

class FindUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class ListUsersRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "search", "include_disabled", "kind")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DISABLED_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    search: str
    include_disabled: bool
    kind: UserKind
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., search: _Optional[str] = ..., include_disabled: _Optional[bool] = ..., kind: _Optional[_Union[UserKind, str]] = ...) -> None: ...

class ListUsersResponse(_message.Message):
    __slots__ = ("users", "next_page_token")
    USERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[User]
    next_page_token: str
    def __init__(self, users: _Optional[_Iterable[_Union[User, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateUserRequest(_message.Message):
    __slots__ = ("user", "update_mask")
    USER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    user: User
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class DeleteUserRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class DisableUserRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DisableUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class EnableUserRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class EnableUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class ConvertUserToInternalRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ConvertUserToInternalResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class RequestPasswordResetRequest(_message.Message):
    __slots__ = ("name", "kind")
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    name: str
    kind: PasswordResetKind
    def __init__(self, name: _Optional[str] = ..., kind: _Optional[_Union[PasswordResetKind, str]] = ...) -> None: ...

class RequestPasswordResetResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class SetUserPasswordRequest(_message.Message):
    __slots__ = ("name", "password", "force_password_change")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    FORCE_PASSWORD_CHANGE_FIELD_NUMBER: _ClassVar[int]
    name: str
    password: str
    force_password_change: bool
    def __init__(self, name: _Optional[str] = ..., password: _Optional[str] = ..., force_password_change: _Optional[bool] = ...) -> None: ...

class SetUserPasswordResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class ListUserMembershipsRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListUserMembershipsResponse(_message.Message):
    __slots__ = ("groups", "companies", "help_desks", "locations", "observed_groups", "observed_companies", "observed_help_desks", "observed_locations")
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    COMPANIES_FIELD_NUMBER: _ClassVar[int]
    HELP_DESKS_FIELD_NUMBER: _ClassVar[int]
    LOCATIONS_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_GROUPS_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_COMPANIES_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_HELP_DESKS_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_LOCATIONS_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedScalarFieldContainer[str]
    companies: _containers.RepeatedScalarFieldContainer[str]
    help_desks: _containers.RepeatedScalarFieldContainer[str]
    locations: _containers.RepeatedScalarFieldContainer[str]
    observed_groups: _containers.RepeatedScalarFieldContainer[str]
    observed_companies: _containers.RepeatedScalarFieldContainer[str]
    observed_help_desks: _containers.RepeatedScalarFieldContainer[str]
    observed_locations: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, groups: _Optional[_Iterable[str]] = ..., companies: _Optional[_Iterable[str]] = ..., help_desks: _Optional[_Iterable[str]] = ..., locations: _Optional[_Iterable[str]] = ..., observed_groups: _Optional[_Iterable[str]] = ..., observed_companies: _Optional[_Iterable[str]] = ..., observed_help_desks: _Optional[_Iterable[str]] = ..., observed_locations: _Optional[_Iterable[str]] = ...) -> None: ...

class Group(_message.Message):
    __slots__ = ("name", "vendor_record", "display_name", "member_count")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    MEMBER_COUNT_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    display_name: str
    member_count: int
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., display_name: _Optional[str] = ..., member_count: _Optional[int] = ...) -> None: ...

class CreateGroupRequest(_message.Message):
    __slots__ = ("parent", "group", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    group: Group
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., group: _Optional[_Union[Group, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateGroupResponse(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: Group
    def __init__(self, group: _Optional[_Union[Group, _Mapping]] = ...) -> None: ...

class GetGroupRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetGroupResponse(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: Group
    def __init__(self, group: _Optional[_Union[Group, _Mapping]] = ...) -> None: ...

class ListGroupsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "display_name")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    display_name: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., display_name: _Optional[str] = ...) -> None: ...

class ListGroupsResponse(_message.Message):
    __slots__ = ("groups", "next_page_token")
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[Group]
    next_page_token: str
    def __init__(self, groups: _Optional[_Iterable[_Union[Group, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteGroupRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteGroupResponse(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: Group
    def __init__(self, group: _Optional[_Union[Group, _Mapping]] = ...) -> None: ...

class Company(_message.Message):
    __slots__ = ("name", "vendor_record", "display_name", "external_id", "member_count", "deleted")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_COUNT_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    display_name: str
    external_id: str
    member_count: int
    deleted: bool
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., display_name: _Optional[str] = ..., external_id: _Optional[str] = ..., member_count: _Optional[int] = ..., deleted: _Optional[bool] = ...) -> None: ...

class CreateCompanyRequest(_message.Message):
    __slots__ = ("parent", "company", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    company: Company
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., company: _Optional[_Union[Company, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateCompanyResponse(_message.Message):
    __slots__ = ("company",)
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    company: Company
    def __init__(self, company: _Optional[_Union[Company, _Mapping]] = ...) -> None: ...

class GetCompanyRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetCompanyResponse(_message.Message):
    __slots__ = ("company",)
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    company: Company
    def __init__(self, company: _Optional[_Union[Company, _Mapping]] = ...) -> None: ...

class ListCompaniesRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "external_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    external_id: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., external_id: _Optional[str] = ...) -> None: ...

class ListCompaniesResponse(_message.Message):
    __slots__ = ("companies", "next_page_token")
    COMPANIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    companies: _containers.RepeatedCompositeFieldContainer[Company]
    next_page_token: str
    def __init__(self, companies: _Optional[_Iterable[_Union[Company, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateCompanyRequest(_message.Message):
    __slots__ = ("company", "update_mask")
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    company: Company
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, company: _Optional[_Union[Company, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateCompanyResponse(_message.Message):
    __slots__ = ("company",)
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    company: Company
    def __init__(self, company: _Optional[_Union[Company, _Mapping]] = ...) -> None: ...

class DeleteCompanyRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteCompanyResponse(_message.Message):
    __slots__ = ("company",)
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    company: Company
    def __init__(self, company: _Optional[_Union[Company, _Mapping]] = ...) -> None: ...

class ListCompanyGroupsRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListCompanyGroupsResponse(_message.Message):
    __slots__ = ("groups",)
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[Group]
    def __init__(self, groups: _Optional[_Iterable[_Union[Group, _Mapping]]] = ...) -> None: ...

class LinkCompanyGroupsRequest(_message.Message):
    __slots__ = ("name", "groups")
    NAME_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    name: str
    groups: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., groups: _Optional[_Iterable[str]] = ...) -> None: ...

class LinkCompanyGroupsResponse(_message.Message):
    __slots__ = ("company",)
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    company: Company
    def __init__(self, company: _Optional[_Union[Company, _Mapping]] = ...) -> None: ...

class UnlinkCompanyGroupsRequest(_message.Message):
    __slots__ = ("name", "groups", "unlink_users_too")
    NAME_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    UNLINK_USERS_TOO_FIELD_NUMBER: _ClassVar[int]
    name: str
    groups: _containers.RepeatedScalarFieldContainer[str]
    unlink_users_too: bool
    def __init__(self, name: _Optional[str] = ..., groups: _Optional[_Iterable[str]] = ..., unlink_users_too: _Optional[bool] = ...) -> None: ...

class UnlinkCompanyGroupsResponse(_message.Message):
    __slots__ = ("company",)
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    company: Company
    def __init__(self, company: _Optional[_Union[Company, _Mapping]] = ...) -> None: ...

class Location(_message.Message):
    __slots__ = ("name", "vendor_record", "display_name", "parent_location", "member_count")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    MEMBER_COUNT_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    display_name: str
    parent_location: str
    member_count: int
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., display_name: _Optional[str] = ..., parent_location: _Optional[str] = ..., member_count: _Optional[int] = ...) -> None: ...

class CreateLocationRequest(_message.Message):
    __slots__ = ("parent", "location", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    location: Location
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateLocationResponse(_message.Message):
    __slots__ = ("location",)
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    location: Location
    def __init__(self, location: _Optional[_Union[Location, _Mapping]] = ...) -> None: ...

class GetLocationRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetLocationResponse(_message.Message):
    __slots__ = ("location",)
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    location: Location
    def __init__(self, location: _Optional[_Union[Location, _Mapping]] = ...) -> None: ...

class ListLocationsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListLocationsResponse(_message.Message):
    __slots__ = ("locations", "next_page_token")
    LOCATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    locations: _containers.RepeatedCompositeFieldContainer[Location]
    next_page_token: str
    def __init__(self, locations: _Optional[_Iterable[_Union[Location, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteLocationRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteLocationResponse(_message.Message):
    __slots__ = ("location", "deleted_sublocations")
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    DELETED_SUBLOCATIONS_FIELD_NUMBER: _ClassVar[int]
    location: Location
    deleted_sublocations: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, location: _Optional[_Union[Location, _Mapping]] = ..., deleted_sublocations: _Optional[_Iterable[str]] = ...) -> None: ...

class HelpDesk(_message.Message):
    __slots__ = ("name", "vendor_record", "display_name", "engine", "status", "vendor_status", "parent_help_desk", "member_count", "deleted")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VENDOR_STATUS_FIELD_NUMBER: _ClassVar[int]
    PARENT_HELP_DESK_FIELD_NUMBER: _ClassVar[int]
    MEMBER_COUNT_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    display_name: str
    engine: AssignmentEngine
    status: HelpDeskStatus
    vendor_status: _common_pb2.VendorValue
    parent_help_desk: str
    member_count: int
    deleted: bool
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., display_name: _Optional[str] = ..., engine: _Optional[_Union[AssignmentEngine, str]] = ..., status: _Optional[_Union[HelpDeskStatus, str]] = ..., vendor_status: _Optional[_Union[_common_pb2.VendorValue, _Mapping]] = ..., parent_help_desk: _Optional[str] = ..., member_count: _Optional[int] = ..., deleted: _Optional[bool] = ...) -> None: ...

class ListHelpDesksRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token", "include_deleted")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DELETED_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    include_deleted: bool
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., include_deleted: _Optional[bool] = ...) -> None: ...

class ListHelpDesksResponse(_message.Message):
    __slots__ = ("help_desks", "next_page_token")
    HELP_DESKS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    help_desks: _containers.RepeatedCompositeFieldContainer[HelpDesk]
    next_page_token: str
    def __init__(self, help_desks: _Optional[_Iterable[_Union[HelpDesk, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetHelpDeskRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetHelpDeskResponse(_message.Message):
    __slots__ = ("help_desk",)
    HELP_DESK_FIELD_NUMBER: _ClassVar[int]
    help_desk: HelpDesk
    def __init__(self, help_desk: _Optional[_Union[HelpDesk, _Mapping]] = ...) -> None: ...

class HelpDeskLevel(_message.Message):
    __slots__ = ("name", "vendor_record", "display_name", "order", "engine", "status", "members", "deleted")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    display_name: str
    order: int
    engine: AssignmentEngine
    status: HelpDeskStatus
    members: _containers.RepeatedScalarFieldContainer[str]
    deleted: bool
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., display_name: _Optional[str] = ..., order: _Optional[int] = ..., engine: _Optional[_Union[AssignmentEngine, str]] = ..., status: _Optional[_Union[HelpDeskStatus, str]] = ..., members: _Optional[_Iterable[str]] = ..., deleted: _Optional[bool] = ...) -> None: ...

class ListHelpDeskLevelsRequest(_message.Message):
    __slots__ = ("parent", "include_deleted")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DELETED_FIELD_NUMBER: _ClassVar[int]
    parent: str
    include_deleted: bool
    def __init__(self, parent: _Optional[str] = ..., include_deleted: _Optional[bool] = ...) -> None: ...

class ListHelpDeskLevelsResponse(_message.Message):
    __slots__ = ("levels",)
    LEVELS_FIELD_NUMBER: _ClassVar[int]
    levels: _containers.RepeatedCompositeFieldContainer[HelpDeskLevel]
    def __init__(self, levels: _Optional[_Iterable[_Union[HelpDeskLevel, _Mapping]]] = ...) -> None: ...

class GetHelpDeskLevelRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetHelpDeskLevelResponse(_message.Message):
    __slots__ = ("level",)
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    level: HelpDeskLevel
    def __init__(self, level: _Optional[_Union[HelpDeskLevel, _Mapping]] = ...) -> None: ...

class Member(_message.Message):
    __slots__ = ("user", "display_name", "username", "email")
    USER_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    user: str
    display_name: str
    username: str
    email: str
    def __init__(self, user: _Optional[str] = ..., display_name: _Optional[str] = ..., username: _Optional[str] = ..., email: _Optional[str] = ...) -> None: ...

class ListMembersRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListMembersResponse(_message.Message):
    __slots__ = ("members",)
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    members: _containers.RepeatedCompositeFieldContainer[Member]
    def __init__(self, members: _Optional[_Iterable[_Union[Member, _Mapping]]] = ...) -> None: ...

class AddMembersRequest(_message.Message):
    __slots__ = ("name", "users")
    NAME_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    name: str
    users: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., users: _Optional[_Iterable[str]] = ...) -> None: ...

class AddMembersResponse(_message.Message):
    __slots__ = ("members", "group", "company", "location", "help_desk", "level")
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    HELP_DESK_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    members: _containers.RepeatedCompositeFieldContainer[Member]
    group: Group
    company: Company
    location: Location
    help_desk: HelpDesk
    level: HelpDeskLevel
    def __init__(self, members: _Optional[_Iterable[_Union[Member, _Mapping]]] = ..., group: _Optional[_Union[Group, _Mapping]] = ..., company: _Optional[_Union[Company, _Mapping]] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., help_desk: _Optional[_Union[HelpDesk, _Mapping]] = ..., level: _Optional[_Union[HelpDeskLevel, _Mapping]] = ...) -> None: ...

class RemoveMembersRequest(_message.Message):
    __slots__ = ("name", "users")
    NAME_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    name: str
    users: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., users: _Optional[_Iterable[str]] = ...) -> None: ...

class RemoveMembersResponse(_message.Message):
    __slots__ = ("members", "group", "company", "location", "help_desk", "level")
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    HELP_DESK_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    members: _containers.RepeatedCompositeFieldContainer[Member]
    group: Group
    company: Company
    location: Location
    help_desk: HelpDesk
    level: HelpDeskLevel
    def __init__(self, members: _Optional[_Iterable[_Union[Member, _Mapping]]] = ..., group: _Optional[_Union[Group, _Mapping]] = ..., company: _Optional[_Union[Company, _Mapping]] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., help_desk: _Optional[_Union[HelpDesk, _Mapping]] = ..., level: _Optional[_Union[HelpDeskLevel, _Mapping]] = ...) -> None: ...

class ListObserversRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListObserversResponse(_message.Message):
    __slots__ = ("observers",)
    OBSERVERS_FIELD_NUMBER: _ClassVar[int]
    observers: _common_pb2.ObserverSet
    def __init__(self, observers: _Optional[_Union[_common_pb2.ObserverSet, _Mapping]] = ...) -> None: ...

class AddObserversRequest(_message.Message):
    __slots__ = ("name", "users")
    NAME_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    name: str
    users: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., users: _Optional[_Iterable[str]] = ...) -> None: ...

class AddObserversResponse(_message.Message):
    __slots__ = ("observers", "group", "company", "location", "help_desk", "level")
    OBSERVERS_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    HELP_DESK_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    observers: _common_pb2.ObserverSet
    group: Group
    company: Company
    location: Location
    help_desk: HelpDesk
    level: HelpDeskLevel
    def __init__(self, observers: _Optional[_Union[_common_pb2.ObserverSet, _Mapping]] = ..., group: _Optional[_Union[Group, _Mapping]] = ..., company: _Optional[_Union[Company, _Mapping]] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., help_desk: _Optional[_Union[HelpDesk, _Mapping]] = ..., level: _Optional[_Union[HelpDeskLevel, _Mapping]] = ...) -> None: ...

class RemoveObserversRequest(_message.Message):
    __slots__ = ("name", "users")
    NAME_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    name: str
    users: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., users: _Optional[_Iterable[str]] = ...) -> None: ...

class RemoveObserversResponse(_message.Message):
    __slots__ = ("observers", "group", "company", "location", "help_desk", "level")
    OBSERVERS_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    COMPANY_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    HELP_DESK_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    observers: _common_pb2.ObserverSet
    group: Group
    company: Company
    location: Location
    help_desk: HelpDesk
    level: HelpDeskLevel
    def __init__(self, observers: _Optional[_Union[_common_pb2.ObserverSet, _Mapping]] = ..., group: _Optional[_Union[Group, _Mapping]] = ..., company: _Optional[_Union[Company, _Mapping]] = ..., location: _Optional[_Union[Location, _Mapping]] = ..., help_desk: _Optional[_Union[HelpDesk, _Mapping]] = ..., level: _Optional[_Union[HelpDeskLevel, _Mapping]] = ...) -> None: ...

class InternalNote(_message.Message):
    __slots__ = ("name", "vendor_record", "subject_resource", "title", "body", "author", "create_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_RESOURCE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    subject_resource: str
    title: str
    body: str
    author: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., subject_resource: _Optional[str] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., author: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListInternalNotesRequest(_message.Message):
    __slots__ = ("parent", "subject_resource")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_RESOURCE_FIELD_NUMBER: _ClassVar[int]
    parent: str
    subject_resource: str
    def __init__(self, parent: _Optional[str] = ..., subject_resource: _Optional[str] = ...) -> None: ...

class ListInternalNotesResponse(_message.Message):
    __slots__ = ("notes",)
    NOTES_FIELD_NUMBER: _ClassVar[int]
    notes: _containers.RepeatedCompositeFieldContainer[InternalNote]
    def __init__(self, notes: _Optional[_Iterable[_Union[InternalNote, _Mapping]]] = ...) -> None: ...

class CreateInternalNoteRequest(_message.Message):
    __slots__ = ("parent", "note", "request_id")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    parent: str
    note: InternalNote
    request_id: str
    def __init__(self, parent: _Optional[str] = ..., note: _Optional[_Union[InternalNote, _Mapping]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateInternalNoteResponse(_message.Message):
    __slots__ = ("note",)
    NOTE_FIELD_NUMBER: _ClassVar[int]
    note: InternalNote
    def __init__(self, note: _Optional[_Union[InternalNote, _Mapping]] = ...) -> None: ...

class UpdateInternalNoteRequest(_message.Message):
    __slots__ = ("note", "update_mask")
    NOTE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    note: InternalNote
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, note: _Optional[_Union[InternalNote, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateInternalNoteResponse(_message.Message):
    __slots__ = ("note",)
    NOTE_FIELD_NUMBER: _ClassVar[int]
    note: InternalNote
    def __init__(self, note: _Optional[_Union[InternalNote, _Mapping]] = ...) -> None: ...

class DeleteInternalNoteRequest(_message.Message):
    __slots__ = ("name", "author")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    name: str
    author: str
    def __init__(self, name: _Optional[str] = ..., author: _Optional[str] = ...) -> None: ...

class DeleteInternalNoteResponse(_message.Message):
    __slots__ = ("note",)
    NOTE_FIELD_NUMBER: _ClassVar[int]
    note: InternalNote
    def __init__(self, note: _Optional[_Union[InternalNote, _Mapping]] = ...) -> None: ...

class Contact(_message.Message):
    __slots__ = ("name", "vendor_record", "display_name", "email", "phone", "id_number")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    display_name: str
    email: str
    phone: str
    id_number: str
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., display_name: _Optional[str] = ..., email: _Optional[str] = ..., phone: _Optional[str] = ..., id_number: _Optional[str] = ...) -> None: ...

class GetContactRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetContactResponse(_message.Message):
    __slots__ = ("contact",)
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    contact: Contact
    def __init__(self, contact: _Optional[_Union[Contact, _Mapping]] = ...) -> None: ...

class ListContactsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListContactsResponse(_message.Message):
    __slots__ = ("contacts", "next_page_token")
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    contacts: _containers.RepeatedCompositeFieldContainer[Contact]
    next_page_token: str
    def __init__(self, contacts: _Optional[_Iterable[_Union[Contact, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Account(_message.Message):
    __slots__ = ("name", "vendor_record", "number", "display_name", "contact")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VENDOR_RECORD_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    name: str
    vendor_record: _common_pb2.VendorRecord
    number: str
    display_name: str
    contact: str
    def __init__(self, name: _Optional[str] = ..., vendor_record: _Optional[_Union[_common_pb2.VendorRecord, _Mapping]] = ..., number: _Optional[str] = ..., display_name: _Optional[str] = ..., contact: _Optional[str] = ...) -> None: ...

class GetAccountRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetAccountResponse(_message.Message):
    __slots__ = ("account",)
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    account: Account
    def __init__(self, account: _Optional[_Union[Account, _Mapping]] = ...) -> None: ...

class ListAccountsRequest(_message.Message):
    __slots__ = ("parent", "page_size", "page_token")
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parent: str
    page_size: int
    page_token: str
    def __init__(self, parent: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAccountsResponse(_message.Message):
    __slots__ = ("accounts", "next_page_token")
    ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    accounts: _containers.RepeatedCompositeFieldContainer[Account]
    next_page_token: str
    def __init__(self, accounts: _Optional[_Iterable[_Union[Account, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
