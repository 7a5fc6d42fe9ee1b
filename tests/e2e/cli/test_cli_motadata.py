"""The same commands on another vendor: Deskbridge on the Motadata sandbox. What Motadata
cannot do answers UNIMPLEMENTED naming vendor and operation (exit 5); `close --status` closes
it Motadata's way."""

from __future__ import annotations

from cli_support import deskbridge

from deskbridge.v1 import tickets_pb2 as t


async def test_tickets_list_and_get_on_motadata(motadata):
    common = ("--address", motadata.runtime.address, "--backend", motadata.backend)
    expected = await motadata.tickets.ListTickets(
        t.ListTicketsRequest(parent=motadata.parent, page_size=5)
    )
    ran = await deskbridge("tickets", "list", "--page-size", "5", *common)
    assert ran.code == 0, ran.err
    # Motadata's display ids (INC-n) are shown beside Deskbridge's ids
    assert [r["ID"] for r in ran.table()] == [
        f"{x.name.rpartition('/')[2]} ({x.vendor_record.display_id})" for x in expected.tickets
    ]
    as_json = await deskbridge("tickets", "list", "--page-size", "5", "--json", *common)
    assert as_json.parsed(t.ListTicketsResponse) == expected

    first = expected.tickets[0]
    shown = await deskbridge("tickets", "get", first.name, "--address", motadata.runtime.address)
    assert shown.details()["vendor"].startswith("motadata id ")
    assert shown.details()["title"] == first.title


async def test_close_is_unimplemented_on_motadata_and_status_closes_it(motadata):
    common = ("--address", motadata.runtime.address, "--backend", motadata.backend)
    ticket = next(
        i for i, r in sorted(motadata.state.requests.items()) if r["statusName"] != "Closed"
    )
    refused = await deskbridge("tickets", "close", str(ticket), *common)
    assert refused.code == 5 and refused.out == ""
    lines = refused.err.splitlines()
    assert lines[0].startswith("deskbridge: UNIMPLEMENTED: vendor motadata")
    assert "  vendor: motadata" in lines
    assert "  operation: TicketService.AcceptSolution" in lines
    assert any(line.startswith("  hint: ") and "--status" in line for line in lines)
    assert motadata.state.requests[ticket]["statusName"] != "Closed"

    closed = await deskbridge("tickets", "close", str(ticket), "--status", "Closed", *common)
    assert closed.code == 0, closed.err
    assert closed.details()["state"].startswith("closed")
    assert motadata.state.requests[ticket]["statusName"] == "Closed"

    for family in (("articles", "search", "printer"), ("approvals", "list", str(ticket))):
        unsupported = await deskbridge(*family, *common, "--json")
        error = unsupported.error()
        assert (unsupported.code, error["status"]) == (5, "UNIMPLEMENTED"), unsupported.err
        assert error["details"][0]["metadata"]["vendor"] == "motadata"
