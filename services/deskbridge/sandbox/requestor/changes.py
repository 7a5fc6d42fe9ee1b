"""Changes of the instance, each firing its trigger event with the entity as it left it.

- a ticket created (NewTicket, the operator): TicketCreated
- its State / Category / CustomForm changed (the operator): TicketStateChange /
  TicketCategoryChange / TicketCustomFormChange, one per field that changed
- and after any of those in `config.monitoring_events` [?], TicketMonitoring, once per change
- a user created (CreateRequestorUser, the operator) / updated / deleted: UserCreated /
  UserUpdated / UserDeleted
- a company created (the operator; CreateRequestorUser with `unknown_customer="create"`) /
  updated / deleted: CompanyCreated / CompanyUpdated / CompanyDeleted

A change that changes nothing (the same state again, an empty PATCH) fires nothing and
leaves ModifiedDate alone [I].
"""

from __future__ import annotations

from typing import Any

from deskbridge.sandbox.requestor.actions import USER_STRINGS, Fields
from deskbridge.sandbox.requestor.seed import new_user
from deskbridge.sandbox.requestor.state import ROLES, Invalid, RequestorState

TICKET_CHANGES = {
    "State": "TicketStateChange",
    "Category": "TicketCategoryChange",
    "CustomForm": "TicketCustomFormChange",
}
USER_CHANGES = ("UserName", *USER_STRINGS, "Roles", "CustomerNames")


def _fire_ticket(state: RequestorState, ticket: dict[str, Any], events: list[str]) -> None:
    for event in events:
        state.emit(event, state.ticket_json(ticket))
    if set(events) & set(state.config.monitoring_events):
        state.emit("TicketMonitoring", state.ticket_json(ticket))


def _reference(state: RequestorState, table: dict[int, str], name: Any, field: str) -> int:
    found = state.named(table, name) if isinstance(name, str) else None
    if found is None:
        known = list(table.values())
        raise Invalid.of(field, f"There is no {field} named {name!r}; known: {known}")
    return found


def create_ticket(
    state: RequestorState, fields: dict[str, Any], extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A new ticket from `ticket_fields`; `extra` (the operator's) may name its State and
    Category and fill its CustomForm. Fires TicketCreated."""
    extra = extra or {}
    config = state.config
    state_id = _reference(state, state.states, extra.get("State", config.new_ticket_state), "State")
    category = extra.get("Category", config.new_ticket_category)
    category_id = (
        None if category is None else _reference(state, state.categories, category, "Category")
    )
    form = extra.get("CustomForm") or {}
    if not isinstance(form, dict):
        raise Invalid.of("CustomForm", "CustomForm must be an object")
    now = state.now_ms()
    ticket = {
        "Id": state.new_id("ticket"),
        **fields,
        "StateId": state_id,
        "CategoryId": category_id,
        "CustomForm": dict(form),
        "Created": now,
        "Modified": now,
    }
    state.tickets[ticket["Id"]] = ticket
    _fire_ticket(state, ticket, ["TicketCreated"])
    return ticket


def change_ticket(
    state: RequestorState, ticket: dict[str, Any], changes: dict[str, Any]
) -> dict[str, Any]:
    """The operator's change: any of {"State": name, "Category": name | null, "CustomForm":
    {field: value}} (the form's fields merged into it; a null value removes a field [I])."""
    unknown = sorted(set(changes) - set(TICKET_CHANGES))
    if unknown or not changes:
        raise Invalid.of("", f"Change State, Category or CustomForm (not {unknown})")
    updated: dict[str, Any] = {}
    if "State" in changes:
        updated["StateId"] = _reference(state, state.states, changes["State"], "State")
    if "Category" in changes:
        name = changes["Category"]
        updated["CategoryId"] = (
            None if name is None else _reference(state, state.categories, name, "Category")
        )
    if "CustomForm" in changes:
        if not isinstance(changes["CustomForm"], dict):
            raise Invalid.of("CustomForm", "CustomForm must be an object")
        form = dict(ticket["CustomForm"])
        for key, value in changes["CustomForm"].items():
            if value is None:
                form.pop(key, None)
            else:
                form[key] = value
        updated["CustomForm"] = form
    keys = {"State": "StateId", "Category": "CategoryId", "CustomForm": "CustomForm"}
    events = [
        TICKET_CHANGES[name]
        for name, key in keys.items()
        if key in updated and updated[key] != ticket[key]
    ]
    if events:
        ticket.update(updated)
        state.stamp(ticket)
        _fire_ticket(state, ticket, events)
    return ticket


def create_company(state: RequestorState, name: Any) -> dict[str, Any]:
    """A new company; fires CompanyCreated. Names are unique among live companies [I]."""
    if not isinstance(name, str) or not name.strip():
        raise Invalid.of("Name", "The Name field is required.")
    if state.company_named(name) is not None:
        raise Invalid.of("Name", f"The company '{name.strip()}' already exists.")
    company_id = state.new_id("company")
    company = {"Id": company_id, "Name": name.strip(), "IsDeleted": False, "Modified": 0}
    state.stamp(company)
    state.companies[company_id] = company
    state.emit("CompanyCreated", state.company_json(company))
    return company


def update_company(
    state: RequestorState, company: dict[str, Any], changes: dict[str, Any]
) -> dict[str, Any]:
    """The operator's rename `{"Name": …}`; fires CompanyUpdated."""
    if set(changes) - {"Name"}:
        raise Invalid.of("", "A company's Name is all that changes")
    name = changes.get("Name", company["Name"])
    if not isinstance(name, str) or not name.strip():
        raise Invalid.of("Name", "The Name field is required.")
    other = state.company_named(name)
    if other is not None and other is not company:
        raise Invalid.of("Name", f"The company '{name.strip()}' already exists.")
    if name.strip() != company["Name"]:
        company["Name"] = name.strip()
        state.stamp(company)
        state.emit("CompanyUpdated", state.company_json(company))
    return company


def delete_company(state: RequestorState, company: dict[str, Any]) -> dict[str, Any]:
    company["IsDeleted"] = True
    state.stamp(company)
    state.emit("CompanyDeleted", state.company_json(company))
    return company


def _companies(state: RequestorState, names: list[str], create: bool) -> list[int]:
    ids = []
    for name in names:
        company = state.company_named(name)
        if company is None:
            if not create:
                raise Invalid.of("CustomerNames", f"The company '{name}' does not exist.")
            company = create_company(state, name)
        if company["Id"] not in ids:
            ids.append(company["Id"])
    return ids


def create_user(state: RequestorState, fields: dict[str, Any]) -> dict[str, Any]:
    """A new user from `user_fields`; fires CompanyCreated for each company it creates
    (`unknown_customer="create"`), then UserCreated. DisplayName defaults to "First Last",
    else the UserName [I]."""
    create = state.config.unknown_customer == "create"
    company_ids = _companies(state, fields["CustomerNames"], create)
    user = new_user(state, fields["UserName"], fields["Email"])
    for name in USER_STRINGS:
        user[name] = fields[name]
    names = " ".join(n for n in (fields["FirstName"], fields["LastName"]) if n)
    user.update(
        DisplayName=fields["DisplayName"] or names or fields["UserName"],
        ChangePasswordAfterLogging=fields["ChangePasswordAfterLogging"],
        Roles=list(fields["Roles"]),
        CompanyIds=company_ids,
    )
    state.emit("UserCreated", state.user_json(user))
    return user


def update_user(
    state: RequestorState, user: dict[str, Any], changes: dict[str, Any]
) -> dict[str, Any]:
    """The operator's edit: any of UserName, the string fields, Roles (role names) and
    CustomerNames (existing companies); fires UserUpdated when something changed."""
    unknown = sorted(set(changes) - set(USER_CHANGES))
    if unknown:
        raise Invalid.of("", f"Unknown user fields {unknown}; known: {list(USER_CHANGES)}")
    fields = Fields(changes)
    updated: dict[str, Any] = {n: fields.string(n) for n in USER_STRINGS if n in changes}
    if "UserName" in changes:
        user_name = fields.string("UserName", required=True)
        other = state.user_named(user_name) if user_name else None
        if other is not None and other is not user:
            fields.fail("UserName", f"Name {user_name} is already taken.")
        updated["UserName"] = (user_name or "").strip()
    if "Roles" in changes:
        roles = fields.strings("Roles") or []
        if set(roles) - set(ROLES):
            fields.fail("Roles", f"Roles are among {list(ROLES)}")
        updated["Roles"] = [r for r in ROLES if r in roles]
    if "CustomerNames" in changes:
        names = fields.strings("CustomerNames")
        fields.done()
        updated["CompanyIds"] = _companies(state, names or [], create=False)
    fields.done()
    if any(user[k] != v for k, v in updated.items()):
        user.update(updated)
        state.stamp(user)
        state.emit("UserUpdated", state.user_json(user))
    return user


def delete_user(state: RequestorState, user: dict[str, Any]) -> dict[str, Any]:
    user["IsDeleted"] = True
    state.stamp(user)
    state.emit("UserDeleted", state.user_json(user))
    return user
