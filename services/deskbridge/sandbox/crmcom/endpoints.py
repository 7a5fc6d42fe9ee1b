"""The Web API methods: each takes a `Call` and returns the envelope's `data` (an object, a
list or None); a `CrmError` is an error envelope (app.py). `fields_set` trims what they
return (render.trim)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from deskbridge.sandbox.crmcom import identifiers as ids
from deskbridge.sandbox.crmcom import lifecycle, render, writes
from deskbridge.sandbox.crmcom.errors import CrmError
from deskbridge.sandbox.crmcom.state import Actor, CrmState


@dataclass
class Call:
    """One API call: the instance, who it acts as, and its parameters (identifiers as
    {field: value})."""

    state: CrmState
    actor: Actor
    params: Mapping[str, Any]

    def request(self) -> dict[str, Any]:
        return ids.mandatory(
            self.params,
            "service_request_identifier",
            "service_request",
            self.state.requests.values(),
        )

    def page(self, found: list[Any]) -> list[Any]:
        """Everything, or with `list_page_size` [?] one page (`page`, `records_per_page`)."""
        size = self.state.config.list_page_size
        if size is None:
            return found
        page = _positive(self.params.get("page", 1), "page")
        per_page = _positive(self.params.get("records_per_page", size), "records_per_page")
        return found[(page - 1) * per_page : page * per_page]


def _positive(value: Any, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CrmError(f"{name} must be a whole number", f"Got {value!r}") from None
    if number < 1:
        raise CrmError(f"{name} must be >= 1", f"Got {value!r}")
    return number


Endpoint = Callable[[Call], Any]


# ---- service requests -------------------------------------------------------------------


def _sr(call: Call, record: dict[str, Any]) -> dict[str, Any]:
    return render.service_request(call.state, record)


def sr_create(call: Call) -> Any:
    return _sr(call, writes.create(call.state, call.actor, call.params))


def sr_update(call: Call) -> Any:
    return _sr(call, writes.update(call.state, call.actor, call.request(), call.params))


def sr_show(call: Call) -> Any:
    return _sr(call, call.request())


def _life_cycle(method: Callable[..., dict[str, Any]]) -> Endpoint:
    def endpoint(call: Call) -> Any:
        return _sr(call, method(call.state, call.actor, call.request(), call.params))

    return endpoint


def _listing(method: str) -> Endpoint:
    def endpoint(call: Call) -> Any:
        found = lifecycle.select(call.state, call.params, method)
        return [_sr(call, r) for r in call.page(found)]

    return endpoint


# ---- contacts, accounts, users ----------------------------------------------------------


def contact_show(call: Call) -> Any:
    state = call.state
    found = ids.mandatory(
        call.params, "contact_information_identifier", "contact", state.contacts.values()
    )
    return render.contact(state, found)


def contact_list(call: Call) -> Any:
    """[I] filters: `type` (PERSON | COMPANY), `name` (part of it, any case), `email`
    (any of its emails, any case), `phone`, `accounts_receivable_identifier` (the owner and
    the contacts related with it)."""
    state, params = call.state, call.params
    found = list(state.contacts.values())
    account = ids.optional(
        params, "accounts_receivable_identifier", "account", state.accounts.values()
    )
    if account is not None:
        allowed = state.related_contacts(account["owner_id"])
        found = [c for c in found if c["id"] in allowed]
    if params.get("type") is not None:
        found = [c for c in found if c["type"] == params["type"]]
    if params.get("name") is not None:
        part = str(params["name"]).lower()
        found = [c for c in found if part in c["name"].lower()]
    if params.get("email") is not None:
        email = str(params["email"]).strip().lower()
        found = [c for c in found if any(e["email_address"].lower() == email for e in c["emails"])]
    if params.get("phone") is not None:
        found = [c for c in found if any(p["number"] == params["phone"] for p in c["phones"])]
    return [render.contact(state, c) for c in call.page(sorted(found, key=lambda c: c["number"]))]


def account_show(call: Call) -> Any:
    state = call.state
    found = ids.mandatory(
        call.params, "accounts_receivable_identifier", "account", state.accounts.values()
    )
    return render.account(state, found)


def account_list(call: Call) -> Any:
    """[I] filter: `contact_information_identifier` (accounts it owns or is related with)."""
    state = call.state
    found = sorted(state.accounts.values(), key=lambda a: a["number"])
    contact = ids.optional(
        call.params, "contact_information_identifier", "contact", state.contacts.values()
    )
    if contact is not None:
        found = [a for a in found if contact["id"] in state.related_contacts(a["owner_id"])]
    return [render.account(state, a) for a in call.page(found)]


def user_show(call: Call) -> Any:
    """[I] `users/show` with `user_identifier` (id | username)."""
    state = call.state
    found = ids.mandatory(call.params, "user_identifier", "user", state.users.values())
    return render.user(state, found)


def user_list(call: Call) -> Any:
    return [render.user(call.state, u) for u in call.page(list(call.state.users.values()))]


SR_LISTS = (
    "list",
    "get_pending",
    "get_close_to_estimated_completion_time",
    "get_responded_pending_acceptance",
    "get_final_resolved",
    "get_final_resolved_pending_acceptance",
    "get_completed",
)
# "{resource}/{method}" (the fault and log key) → (HTTP verb, endpoint). The three
# authentication methods are app.py's (they need no token).
ROUTES: dict[str, tuple[str, Endpoint]] = {
    "service_requests/create": ("POST", sr_create),
    "service_requests/update": ("POST", sr_update),
    "service_requests/show": ("GET", sr_show),
    **{f"service_requests/{name}": ("GET", _listing(name)) for name in SR_LISTS},
    "service_requests/respond": ("POST", _life_cycle(lifecycle.respond)),
    "service_requests/response_accept": ("POST", _life_cycle(lifecycle.response_accept)),
    "service_requests/temporary_resolve": ("POST", _life_cycle(lifecycle.temporary_resolve)),
    "service_requests/final_resolve": ("POST", _life_cycle(lifecycle.final_resolve)),
    "contact_information/show": ("GET", contact_show),
    "contact_information/list": ("GET", contact_list),
    "accounts_receivable/show": ("GET", account_show),
    "accounts_receivable/list": ("GET", account_list),
    "users/show": ("GET", user_show),
    "users/list": ("GET", user_list),
}
AUTH_ROUTES = {
    "authentication/token": "POST",
    "authentication/token/release": "POST",
    "authentication/web_api_key/token": "POST",
}


def answer(call: Call, endpoint: Endpoint) -> Any:
    """The endpoint's data, trimmed to `fields_set`."""
    fields = render.fields_of(call.params.get("fields_set"))
    data = endpoint(call)
    if isinstance(data, list):
        return [render.trim(item, fields) for item in data]
    if isinstance(data, dict):
        return render.trim(data, fields)
    return data
