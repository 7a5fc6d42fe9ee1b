"""The public actions (VENDORS.md §4.3): NewTicket and CreateRequestorUser with their exact
PascalCase bodies [C], and the internal dropdown sources GetServices / GetTicketTypes."""

from __future__ import annotations

import pytest

from deskbridge.sandbox.requestor import SandboxConfig

INVALID = "The request is invalid."
TICKET_KEYS = {
    "Id",
    "Subject",
    "Message",
    "State",
    "Category",
    "Type",
    "Service",
    "SubmitterEmail",
    "SolverUserProviderKey",
    "CustomForm",
    "CreatedDate",
    "ModifiedDate",
}
USER_KEYS = {
    "Id",
    "UserName",
    "Email",
    "FirstName",
    "LastName",
    "MiddleName",
    "DisplayName",
    "Phone",
    "Roles",
    "CustomerNames",
    "IsDeleted",
    "ModifiedDate",
}


async def test_new_ticket_answers_the_entity(rq):
    """ASSUMPTION [?]: new_ticket_answer="entity"; [I]: a new ticket is New, no category."""
    response = await rq.new_ticket(SolverUserProviderKey="jnovak")
    assert response.status_code == 200
    ticket = response.json()
    assert set(ticket) == TICKET_KEYS
    assert ticket["Id"] == 11
    assert ticket["Subject"] == "Printer jammed" and ticket["Message"] == "Paper stuck in tray 2"
    assert ticket["State"] == {"Id": 1, "Name": "New"}
    assert ticket["Category"] is None
    assert ticket["Type"] == {"Id": 1, "Name": "Incident"}
    assert ticket["Service"] == {"Id": 2, "Name": "Facilities"}
    assert ticket["SubmitterEmail"] == "asmith@example.com"
    assert ticket["SolverUserProviderKey"] == "jnovak"
    assert ticket["CustomForm"] == {}
    assert ticket["CreatedDate"] == ticket["ModifiedDate"]
    assert ticket["CreatedDate"].endswith("Z") and "T" in ticket["CreatedDate"]
    assert rq.state.tickets[11]["SubmitterEmail"] == "asmith@example.com"
    shown = (await rq.control.get("operator/tickets/11")).json()
    assert shown == ticket


@pytest.mark.parametrize("missing", ["Type", "ServiceId", "Subject", "Message", "SubmitterEmail"])
async def test_new_ticket_required_fields(rq, missing):
    """[C] the starred fields are required; ASSUMPTION [I]: ASP.NET ModelState 400s."""
    body = {k: v for k, v in rq.TICKET.items() if k != missing}
    response = await rq.api.post("Tickets/NewTicket", json=body)
    assert response.status_code == 400
    assert response.json() == {
        "Message": INVALID,
        "ModelState": {missing: [f"The {missing} field is required."]},
    }
    assert len(rq.state.tickets) == 10


async def test_new_ticket_without_the_optional_solver_and_other_refusals(rq):
    assert (await rq.new_ticket()).json()["SolverUserProviderKey"] is None
    blank = await rq.new_ticket(Subject="   ", Message=None)
    assert set(blank.json()["ModelState"]) == {"Subject", "Message"}
    unknown = await rq.new_ticket(Type=9, ServiceId=0)
    assert unknown.status_code == 400
    assert set(unknown.json()["ModelState"]) == {"Type", "ServiceId"}
    typed = await rq.new_ticket(Type="1", ServiceId=True, SolverUserProviderKey=5)
    assert set(typed.json()["ModelState"]) == {"Type", "ServiceId", "SolverUserProviderKey"}
    for raw in (b"", b"not json", b"[1, 2]"):
        response = await rq.api.post("Tickets/NewTicket", content=raw)
        assert response.status_code == 400 and response.json()["Message"] == INVALID
    assert len(rq.state.tickets) == 11


@pytest.mark.parametrize(("ticket_answer", "user_answer"), [("id", "empty"), ("empty", "id")])
async def test_answer_settings(start, ticket_answer, user_answer):
    """ASSUMPTION [?]: what the actions answer is a setting."""
    rq = await start(new_ticket_answer=ticket_answer, create_user_answer=user_answer)
    ticket, user = await rq.new_ticket(), await rq.create_user()
    for response, answer, new_id in ((ticket, ticket_answer, 11), (user, user_answer, 7)):
        if answer == "id":
            assert response.status_code == 200 and response.json() == new_id
        else:
            assert response.status_code == 204 and response.content == b""
    assert 11 in rq.state.tickets and rq.state.users[7]["UserName"] == "newbie"


async def test_create_user_with_every_field(rq):
    body = {
        "UserName": "mkral",
        "Email": "mkral@example.com",
        "Password": "Pa55word!",
        "RoleEndUser": False,
        "RoleSmartUser": True,
        "RoleOperator": True,
        "RoleSuperOperator": False,
        "RoleAdministrator": True,
        "FirstName": "Martin",
        "LastName": "Král",
        "MiddleName": "J.",
        "DisplayName": "Martin J. Král",
        "Phone": "+420 600 000 000",
        "ChangePasswordAfterLogging": False,
        "AdminNote": "VIP",
        "AdditionalInformation": "Floor 3",
        "CustomerNames": ["Globex a.s.", "acme S.R.O."],
    }
    response = await rq.api.post("Account/CreateRequestorUser", json=body)
    assert response.status_code == 200
    user = response.json()
    assert set(user) == USER_KEYS
    assert user["Id"] == 7 and user["UserName"] == "mkral" and user["Email"] == body["Email"]
    assert (user["FirstName"], user["LastName"], user["MiddleName"]) == ("Martin", "Král", "J.")
    assert user["DisplayName"] == "Martin J. Král" and user["Phone"] == body["Phone"]
    # ASSUMPTION [I]: Roles are the true flags' names; company names as the instance spells them.
    assert user["Roles"] == ["SmartUser", "Operator", "Administrator"]
    assert user["CustomerNames"] == ["Globex a.s.", "Acme s.r.o."]
    assert user["IsDeleted"] is False and user["ModifiedDate"].endswith("Z")
    stored = rq.state.users[7]
    assert stored["Password"] == "Pa55word!" and stored["AdminNote"] == "VIP"
    assert stored["ChangePasswordAfterLogging"] is False
    assert stored["AdditionalInformation"] == "Floor 3"


async def test_create_user_required_fields_and_duplicates(rq):
    missing = await rq.api.post("Account/CreateRequestorUser", json={"Email": "a@b.c"})
    assert missing.status_code == 400
    assert missing.json()["ModelState"] == {
        "UserName": ["The UserName field is required."],
        "ChangePasswordAfterLogging": ["The ChangePasswordAfterLogging field is required."],
    }
    wrong = await rq.create_user(ChangePasswordAfterLogging="yes", RoleOperator=1)
    assert set(wrong.json()["ModelState"]) == {"ChangePasswordAfterLogging", "RoleOperator"}
    minimal = await rq.create_user()
    assert minimal.status_code == 200
    assert minimal.json()["DisplayName"] == "newbie" and minimal.json()["Roles"] == []
    duplicate = await rq.create_user(UserName="NEWBIE")
    assert duplicate.status_code == 400
    assert duplicate.json()["ModelState"] == {"UserName": ["Name NEWBIE is already taken."]}
    seeded = await rq.create_user(UserName="jnovak")
    assert seeded.status_code == 400
    assert sum(u["UserName"] == "newbie" for u in rq.state.users.values()) == 1


async def test_unknown_customer_rejected_by_default(rq):
    """ASSUMPTION [?]: unknown_customer="reject"."""
    response = await rq.create_user(CustomerNames=["Acme s.r.o.", "Umbrella Corp"])
    assert response.status_code == 400
    assert response.json()["ModelState"] == {
        "CustomerNames": ["The company 'Umbrella Corp' does not exist."]
    }
    assert len(rq.state.users) == 6 and len(rq.state.companies) == 3
    bad = await rq.create_user(CustomerNames="Acme s.r.o.")
    assert bad.status_code == 400 and "CustomerNames" in bad.json()["ModelState"]


async def test_unknown_customer_created_with_the_setting(start):
    rq = await start(unknown_customer="create")
    response = await rq.create_user(CustomerNames=["Umbrella Corp", "Acme s.r.o."])
    assert response.status_code == 200
    assert response.json()["CustomerNames"] == ["Umbrella Corp", "Acme s.r.o."]
    names = [c["Name"] for c in rq.state.companies.values()]
    assert names.count("Umbrella Corp") == 1 and len(names) == 4


async def test_services_and_ticket_types(rq):
    """ASSUMPTION [?]: the internal actions' paths and shape."""
    services = await rq.api.get("Services")
    assert services.status_code == 200
    assert services.json() == [
        {"Id": 1, "Name": "IT Support"},
        {"Id": 2, "Name": "Facilities"},
        {"Id": 3, "Name": "HR Services"},
    ]
    types = (await rq.api.get("TicketTypes")).json()
    assert types == [
        {"Id": 1, "Name": "Incident"},
        {"Id": 2, "Name": "Service Request"},
        {"Id": 3, "Name": "Question"},
    ]
    # The dropdowns feed NewTicket: every listed id is accepted.
    for service in services.json():
        for kind in types:
            ok = await rq.new_ticket(Type=kind["Id"], ServiceId=service["Id"])
            assert ok.status_code == 200


async def test_reference_paths_are_settings(start):
    rq = await start(services_path="/api/Ticket/GetServices", ticket_types_path="/api/Types/All")
    assert (await rq.api.get("Services")).status_code == 404
    assert len((await rq.api.get("Ticket/GetServices")).json()) == 3
    assert len((await rq.api.get("Types/All")).json()) == 3
    keys = [r["key"] for r in (await rq.control.get("requests")).json()]
    assert keys == ["unknown", "Ticket/GetServices", "Types/All"]


def test_settings_refuse_values_they_do_not_know():
    for bad in (
        {"new_ticket_answer": "object"},
        {"unknown_customer": "ignore"},
        {"services_path": "/Services"},
        {"delete_trigger_location": "/api/PowerAutomate/DeleteTrigger"},
        {"delete_trigger_status": 202},
        {"payload_template": "xml"},
        {"delivery_attempts": 0},
        {"monitoring_events": ("UserCreated",)},
    ):
        with pytest.raises(ValueError):
            SandboxConfig(**bad)
