"""Identifiers (VENDORS.md §3.2, §3.5) on GET and POST, fields_set, and the directory
methods (contacts, accounts, users)."""

from __future__ import annotations

import pytest

CONTACT_FIELDS = (
    "id",
    "number",
    "id_number",
    "passport_number",
    "social_security_number",
    "vat_registration_number",
    "registration_number",
)


async def test_get_takes_flattened_identifiers_by_id_or_number(crm):
    record = next(iter(crm.state.requests.values()))
    raw = await crm.api.get(
        "service_requests/show",
        params=f"token={crm.token}&service_request_identifier=number={record['number']}",
    )
    assert raw.json()["data"]["id"] == record["id"]
    by_id = await crm.data(
        "GET", "service_requests/show", service_request_identifier={"id": record["id"]}
    )
    assert by_id["number"] == record["number"]


async def test_post_takes_nested_identifiers(crm):
    record = next(iter(crm.state.requests.values()))
    for identifier in ({"id": record["id"]}, {"number": record["number"]}):
        updated = await crm.data(
            "POST", "service_requests/update", service_request_identifier=identifier, notes="n"
        )
        assert updated["id"] == record["id"]


@pytest.mark.parametrize(
    "identifier",
    [
        {},
        {"id": "A", "number": "SR00000251"},
        {"id": None, "number": None},
    ],
)
async def test_none_or_two_fields_are_an_error_naming_the_identifier(crm, identifier):
    status = await crm.error(
        "POST", "service_requests/update", service_request_identifier=identifier
    )
    assert status["message"] == "service_request_identifier: specify exactly one of id, number"
    assert "Only one of those parameters" in status["description"]


async def test_two_fields_on_get_and_malformed_flattening(crm):
    two = await crm.api.get(
        "service_requests/show",
        params=[
            ("token", crm.token),
            ("service_request_identifier", "number=SR00000251"),
            ("service_request_identifier", "id=ABC"),
        ],
    )
    assert two.json()["status"]["message"] == (
        "service_request_identifier: specify exactly one of id, number"
    )
    same = await crm.api.get(
        "service_requests/show",
        params=[
            ("token", crm.token),
            ("service_request_identifier", "number=SR00000251"),
            ("service_request_identifier", "number=SR00000252"),
        ],
    )
    assert same.json()["status"]["code"] == "ERROR"
    bare = await crm.api.get(
        "service_requests/show",
        params={"token": crm.token, "service_request_identifier": "SR00000251"},
    )
    assert bare.json()["status"]["message"] == "service_request_identifier is not valid: SR00000251"


async def test_a_field_the_identifier_does_not_have_and_an_unknown_value(crm):
    wrong = await crm.error(
        "GET", "service_requests/show", service_request_identifier={"name": "x"}
    )
    assert wrong["message"] == "service_request_identifier: name is not an allowed field"
    assert wrong["description"] == "One of: id, number"
    unknown = await crm.error(
        "GET", "contact_information/show", contact_information_identifier={"number": "CI999999"}
    )
    assert unknown["message"] == "contact_information_identifier not found"
    nested = await crm.error(
        "POST", "service_requests/create", **crm.create_body(type_identifier={"name": "Nope"})
    )
    assert nested["message"] == "type_identifier not found"
    not_object = await crm.error(
        "POST", "service_requests/create", **crm.create_body(type_identifier="Billing Enquiry")
    )
    assert not_object["message"] == "type_identifier must be an identifier object"


async def test_reference_identifiers_by_each_of_their_fields(crm):
    kind, status = crm.find("types", name="Billing Enquiry"), crm.find("statuses", name="Open")
    category = crm.find("categories", code="BIL")
    for type_id, status_id, category_id in (
        ({"id": kind["id"]}, {"id": status["id"]}, {"id": category["id"]}),
        ({"name": "Billing Enquiry"}, {"name": "Open"}, {"name": "Billing"}),
        ({"alternative_code": "BE"}, {"alternative_code": "O"}, {"code": "BIL"}),
    ):
        created = await crm.create(
            type_identifier=type_id,
            status_identifier=status_id,
            category_identifier=category_id,
            accounts_receivable_identifier={"id": crm.find("accounts", number="AR000002")["id"]},
        )
        assert created["type"] == {
            "id": kind["id"],
            "name": "Billing Enquiry",
            "alternative_code": "BE",
        }
        assert created["status"]["name"] == "Open"
        assert created["category"] == {"id": category["id"], "name": "Billing", "code": "BIL"}
        assert created["accounts_receivable"]["number"] == "AR000002"
    # categories have no alternative_code, types no code
    bad = await crm.error(
        "POST",
        "service_requests/create",
        **crm.create_body(category_identifier={"alternative_code": "BIL"}),
    )
    assert bad["message"] == "category_identifier: alternative_code is not an allowed field"


async def test_contact_identifiers_by_every_field(crm):
    person = crm.find("contacts", number="CI000111")
    company = crm.find("contacts", number="CI000114")
    for contact in (person, company):
        for field in CONTACT_FIELDS:
            if contact[field] is None:
                continue
            shown = await crm.data(
                "GET",
                "contact_information/show",
                contact_information_identifier={field: contact[field]},
            )
            assert shown["id"] == contact["id"], field
    assert person["type"] == "PERSON" and person["vat_registration_number"] is None
    assert company["type"] == "COMPANY" and company["passport_number"] is None


async def test_fields_set_trims_to_exactly_the_listed_fields(crm):
    ident = {"service_request_identifier": {"number": "SR00000260"}}
    shown = await crm.data(
        "GET", "service_requests/show", fields_set="number,life_cycle_state,nonsense", **ident
    )
    assert set(shown) == {"number", "life_cycle_state"}
    listed = await crm.data(
        "GET",
        "service_requests/list",
        accounts_receivable_identifier={"number": "AR000001"},
        fields_set="id, status",
    )
    assert listed and all(set(item) == {"id", "status"} for item in listed)
    created = await crm.create(fields_set="number")
    assert list(created) == ["number"] and created["number"].startswith("SR")
    as_list = await crm.create(fields_set=["id", "type"])
    assert set(as_list) == {"id", "type"}
    contacts = await crm.data("GET", "contact_information/list", fields_set="name")
    assert len(contacts) == 8 and all(list(c) == ["name"] for c in contacts)
    bad = await crm.error("POST", "service_requests/create", **crm.create_body(fields_set=3))
    assert "fields_set" in bad["message"]


async def test_contact_object_and_list_filters(crm):
    company = await crm.data(
        "GET", "contact_information/show", contact_information_identifier={"number": "CI000114"}
    )
    assert company["type"] == "COMPANY"
    assert company["name"] == company["company_name"] == "Kypros Telecom Ltd"
    assert sorted(c["number"] for c in company["related_contacts"]) == ["CI000116", "CI000117"]
    assert set(company["log_information"]) == {
        "created_by_unit",
        "updated_by_unit",
        "created_date",
        "updated_date",
        "created_by_user",
        "updated_by_user",
    }
    email = crm.find("contacts", number="CI000112")["emails"][0]["email_address"]
    by_email = await crm.data("GET", "contact_information/list", email=email.upper())
    assert [c["number"] for c in by_email] == ["CI000112"]
    companies = await crm.data("GET", "contact_information/list", type="COMPANY")
    assert [c["number"] for c in companies] == ["CI000114", "CI000115"]
    by_name = await crm.data("GET", "contact_information/list", name="demetr")
    assert [c["name"] for c in by_name] == ["Anna Demetriou"]
    of_account = await crm.data(
        "GET", "contact_information/list", accounts_receivable_identifier={"number": "AR000004"}
    )
    assert [c["number"] for c in of_account] == ["CI000114", "CI000116", "CI000117"]
    phone = crm.find("contacts", number="CI000118")["phones"][0]["number"]
    assert [
        c["number"] for c in await crm.data("GET", "contact_information/list", phone=phone)
    ] == ["CI000118"]


async def test_accounts_receivable_show_and_list(crm):
    shown = await crm.data(
        "GET", "accounts_receivable/show", accounts_receivable_identifier={"number": "AR000004"}
    )
    assert shown["name"] == "Kypros Telecom Ltd"
    assert shown["contact_information"]["number"] == "CI000114"
    assert shown["log_information"]["created_by_user"]["username"] == "deskbridge"
    assert len(shown["id"]) == 32
    by_id = await crm.data(
        "GET", "accounts_receivable/show", accounts_receivable_identifier={"id": shown["id"]}
    )
    assert by_id == shown
    everything = await crm.data("GET", "accounts_receivable/list")
    assert [a["number"] for a in everything] == [f"AR00000{i}" for i in range(1, 6)]
    related = await crm.data(
        "GET", "accounts_receivable/list", contact_information_identifier={"number": "CI000117"}
    )
    assert [a["number"] for a in related] == ["AR000004"]
    wrong = await crm.error(
        "GET", "accounts_receivable/show", accounts_receivable_identifier={"name": "x"}
    )
    assert wrong["description"] == "One of: id, number"


async def test_users_show_and_list(crm):
    users = await crm.data("GET", "users/list")
    assert [u["username"] for u in users] == ["deskbridge", "maria.georgiou", "andreas.pavlou"]
    maria = await crm.data("GET", "users/show", user_identifier={"username": "maria.georgiou"})
    assert maria["person_name"] == "Maria Georgiou"
    assert (await crm.data("GET", "users/show", user_identifier={"id": maria["id"]})) == maria
    missing = await crm.error("GET", "users/show", user_identifier={"username": "nobody"})
    assert missing["message"] == "user_identifier not found"
