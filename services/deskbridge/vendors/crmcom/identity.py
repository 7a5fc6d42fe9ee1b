"""IdentityService on CRM.COM: contacts (`contact_information`) and accounts
(`accounts_receivable`), read only (VENDORS.md §3.5). Lists are not paged on the wire."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from deskbridge.runtime.backends import Operation
from deskbridge.runtime.errors import absent_is, not_found
from deskbridge.runtime.paging import page_of
from deskbridge.v1 import identity_pb2
from deskbridge.vendors.crmcom import mapping as m
from deskbridge.vendors.crmcom.client import CrmComClient


class CrmComIdentity:
    def __init__(self, backend: str, client: CrmComClient, zone: ZoneInfo) -> None:
        self.backend = backend
        self.client = client
        self.zone = zone

    async def _show(self, resource: str, identifier: str, name: str) -> Mapping[str, Any]:
        with absent_is(name, backend=self.backend):
            record = await self.client.get(
                f"{resource}/show", {f"{resource}_identifier": {"id": identifier}}
            )
        if not isinstance(record, Mapping) or not record.get("id"):
            raise not_found(name, backend=self.backend)
        return record

    async def _all(self, resource: str) -> list[Mapping[str, Any]]:
        rows = await self.client.get(f"{resource}/list")
        return [r for r in rows or [] if isinstance(r, Mapping)]

    async def get_contact(self, request: identity_pb2.GetContactRequest):
        identifier = m.id_of(request.name, m.CONTACT, "contact", "name", self.backend)
        record = await self._show("contact_information", identifier, request.name)
        return identity_pb2.GetContactResponse(contact=m.contact(self.backend, record, self.zone))

    async def list_contacts(self, request: identity_pb2.ListContactsRequest):
        contacts = [
            m.contact(self.backend, r, self.zone) for r in await self._all("contact_information")
        ]
        window, token = page_of(contacts, request)
        return identity_pb2.ListContactsResponse(contacts=window, next_page_token=token)

    async def get_account(self, request: identity_pb2.GetAccountRequest):
        identifier = m.id_of(request.name, m.ACCOUNT, "account", "name", self.backend)
        record = await self._show("accounts_receivable", identifier, request.name)
        return identity_pb2.GetAccountResponse(account=m.account(self.backend, record, self.zone))

    async def list_accounts(self, request: identity_pb2.ListAccountsRequest):
        accounts = [
            m.account(self.backend, r, self.zone) for r in await self._all("accounts_receivable")
        ]
        window, token = page_of(accounts, request)
        return identity_pb2.ListAccountsResponse(accounts=window, next_page_token=token)


def operations(identity: CrmComIdentity) -> dict[str, Operation]:
    i = identity
    return {
        "GetContact": i.get_contact,
        "ListContacts": i.list_contacts,
        "GetAccount": i.get_account,
        "ListAccounts": i.list_accounts,
    }
