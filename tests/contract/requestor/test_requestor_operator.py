"""The operator control API: changes made as in the Requestor UI fire their triggers
(VENDORS.md §4.4's trigger list [C]); which events TicketMonitoring follows is a setting
(ASSUMPTION [?]: every ticket event by default)."""

from __future__ import annotations

TICKET_EVENTS = (
    "TicketCreated",
    "TicketStateChange",
    "TicketCategoryChange",
    "TicketCustomFormChange",
    "TicketMonitoring",
)


async def _subscribe_all(rq, receiver, events) -> None:
    for event in events:
        assert (await rq.subscribe(event, receiver.hook(event))).status_code == 201


def _events(receiver) -> list[str]:
    return sorted(c["name"] for c in receiver.calls)


async def test_state_change_fires_state_change_and_monitoring(rq, receiver):
    await _subscribe_all(rq, receiver, TICKET_EVENTS)
    before = (await rq.control.get("operator/tickets/1")).json()
    target = "Closed" if before["State"]["Name"] != "Closed" else "New"
    after = await rq.operator("POST", "tickets/1", {"State": target})
    assert after["State"]["Name"] == target and after["ModifiedDate"] > before["ModifiedDate"]
    (changed,) = await receiver.wait(1, "TicketStateChange")
    await receiver.wait(1, "TicketMonitoring")
    await rq.idle()
    assert _events(receiver) == ["TicketMonitoring", "TicketStateChange"]
    assert changed["json"] == after
    state_id = rq.state.named(rq.state.states, target)
    assert changed["json"]["State"] == {"Id": state_id, "Name": target}
    # The same state again changes nothing and fires nothing [I].
    again = await rq.operator("POST", "tickets/1", {"State": target.upper()})
    await rq.idle()
    assert again["ModifiedDate"] == after["ModifiedDate"] and len(receiver.calls) == 2


async def test_category_and_custom_form_changes(rq, receiver):
    await _subscribe_all(rq, receiver, TICKET_EVENTS)
    rq.state.tickets[2]["CategoryId"] = None
    rq.state.tickets[2]["CustomForm"] = {"Device": "Laptop"}
    categorized = await rq.operator("POST", "tickets/2", {"Category": "Network"})
    assert categorized["Category"] == {"Id": 3, "Name": "Network"}
    formed = await rq.operator("POST", "tickets/2", {"CustomForm": {"Location": "HQ"}})
    assert formed["CustomForm"] == {"Device": "Laptop", "Location": "HQ"}
    assert formed["ModifiedDate"] > categorized["ModifiedDate"]
    cleared = await rq.operator("POST", "tickets/2", {"CustomForm": {"Device": None}})
    assert cleared["CustomForm"] == {"Location": "HQ"}
    (category,) = await receiver.wait(1, "TicketCategoryChange")
    forms = await receiver.wait(2, "TicketCustomFormChange")
    await receiver.wait(3, "TicketMonitoring")
    await rq.idle()
    assert category["json"]["Category"]["Name"] == "Network"
    assert [c["json"]["CustomForm"] for c in forms] == [
        {"Device": "Laptop", "Location": "HQ"},
        {"Location": "HQ"},
    ]
    assert receiver.at("TicketStateChange") == [] and receiver.at("TicketCreated") == []


async def test_one_change_of_two_fields_fires_both_and_monitoring_once(rq, receiver):
    await _subscribe_all(rq, receiver, TICKET_EVENTS)
    rq.state.tickets[3].update(StateId=1, CategoryId=1)
    await rq.operator("POST", "tickets/3", {"State": "Waiting", "Category": None})
    await rq.idle()
    assert _events(receiver) == ["TicketCategoryChange", "TicketMonitoring", "TicketStateChange"]
    assert receiver.at("TicketCategoryChange")[0]["json"]["Category"] is None


async def test_operator_creates_a_ticket(rq, receiver):
    await _subscribe_all(rq, receiver, TICKET_EVENTS)
    body = {**rq.TICKET, "State": "In Progress", "Category": "Access", "CustomForm": {"A": 1}}
    ticket = await rq.operator("POST", "tickets", body)
    assert ticket["Id"] == 11 and ticket["State"]["Name"] == "In Progress"
    assert ticket["Category"]["Name"] == "Access" and ticket["CustomForm"] == {"A": 1}
    (created,) = await receiver.wait(1, "TicketCreated")
    await rq.idle()
    assert created["json"] == ticket
    assert _events(receiver) == ["TicketCreated", "TicketMonitoring"]


async def test_monitoring_events_setting(start, receiver):
    rq = await start(monitoring_events=("TicketStateChange",))
    await rq.subscribe("TicketMonitoring", receiver.hook("m"))
    await rq.new_ticket()
    await rq.operator("POST", "tickets/11", {"Category": "Software"})
    await rq.operator("POST", "tickets/11", {"State": "Resolved"})
    (call,) = await receiver.wait(1, "m")
    await rq.idle()
    assert len(receiver.at("m")) == 1 and call["json"]["State"]["Name"] == "Resolved"


async def test_users_created_updated_deleted(rq, receiver):
    await _subscribe_all(rq, receiver, ("UserCreated", "UserUpdated", "UserDeleted"))
    body = {**rq.USER, "FirstName": "Eva", "LastName": "Malá", "RoleEndUser": True}
    created = await rq.operator("POST", "users", body)
    assert created["DisplayName"] == "Eva Malá" and created["Roles"] == ["EndUser"]
    user_id = created["Id"]
    updated = await rq.operator(
        "PATCH", f"users/{user_id}", {"Phone": "+420 1", "CustomerNames": ["Globex a.s."]}
    )
    assert updated["Phone"] == "+420 1" and updated["CustomerNames"] == ["Globex a.s."]
    assert updated["ModifiedDate"] > created["ModifiedDate"]
    unchanged = await rq.operator("PATCH", f"users/{user_id}", {"Phone": "+420 1"})
    deleted = await rq.operator("DELETE", f"users/{user_id}")
    assert deleted["IsDeleted"] is True and deleted["ModifiedDate"] > unchanged["ModifiedDate"]
    await receiver.wait(1, "UserDeleted")
    await rq.idle()
    assert [c["json"] for c in receiver.at("UserCreated")] == [created]
    assert [c["json"] for c in receiver.at("UserUpdated")] == [updated]  # not the no-op
    assert [c["json"] for c in receiver.at("UserDeleted")] == [deleted]
    gone = await rq.control.patch(f"operator/users/{user_id}", json={"Phone": "2"})
    assert gone.status_code == 404
    assert (await rq.control.delete(f"operator/users/{user_id}")).status_code == 404
    assert (await rq.control.get(f"operator/users/{user_id}")).json()["IsDeleted"] is True


async def test_companies_created_updated_deleted(rq, receiver):
    await _subscribe_all(rq, receiver, ("CompanyCreated", "CompanyUpdated", "CompanyDeleted"))
    created = await rq.operator("POST", "companies", {"Name": "Wayne Ltd"})
    assert created["Id"] == 4 and created["IsDeleted"] is False
    renamed = await rq.operator("PATCH", "companies/4", {"Name": "Wayne Enterprises"})
    assert renamed["Name"] == "Wayne Enterprises"
    deleted = await rq.operator("DELETE", "companies/4")
    assert deleted["IsDeleted"] is True
    await receiver.wait(1, "CompanyDeleted")
    await rq.idle()
    assert [c["json"] for c in receiver.at("CompanyCreated")] == [created]
    assert [c["json"] for c in receiver.at("CompanyUpdated")] == [renamed]
    assert [c["json"] for c in receiver.at("CompanyDeleted")] == [deleted]
    assert (await rq.control.delete("operator/companies/4")).status_code == 404
    duplicate = await rq.control.post("operator/companies", json={"Name": "acme s.r.o."})
    assert duplicate.status_code == 400 and "Name" in duplicate.json()["ModelState"]
    # A deleted company's name is free again [I].
    assert (await rq.control.post("operator/companies", json={"Name": "Wayne Ltd"})).is_success


async def test_operator_refusals(rq, receiver):
    await _subscribe_all(rq, receiver, TICKET_EVENTS)
    for body in ({"State": "Nope"}, {"Category": "Nope"}, {"Subject": "x"}, {}, {"CustomForm": 1}):
        response = await rq.control.post("operator/tickets/1", json=body)
        assert response.status_code == 400, body
        assert response.json()["error"]
    assert (await rq.control.post("operator/tickets/99", json={"State": "New"})).status_code == 404
    bad_ticket = await rq.control.post("operator/tickets", json={"Subject": "only"})
    assert bad_ticket.status_code == 400 and "Type" in bad_ticket.json()["ModelState"]
    bad_user = await rq.control.patch("operator/users/2", json={"Roles": ["King"]})
    assert bad_user.status_code == 400
    taken = await rq.control.patch("operator/users/2", json={"UserName": "asmith"})
    assert taken.status_code == 400
    assert (await rq.control.post("operator/tickets/1", content=b"{")).status_code == 400
    await rq.idle()
    assert receiver.calls == [] and len(rq.state.tickets) == 10
