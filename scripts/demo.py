"""The README's example: create a ticket, comment a solution on it, close it.

Run against `make up`:  .venv/bin/python scripts/demo.py [ADDRESS]
"""

import asyncio
import sys
import uuid

import grpc

from deskbridge.v1 import tickets_pb2 as t
from deskbridge.v1 import tickets_pb2_grpc


async def main(address: str) -> None:
    async with grpc.aio.insecure_channel(address) as channel:
        tickets = tickets_pb2_grpc.TicketServiceStub(channel)
        ticket = (
            await tickets.CreateTicket(
                t.CreateTicketRequest(
                    parent="backends/invgate",
                    request_id=str(uuid.uuid4()),  # a retry with the same id creates nothing new
                    ticket=t.Ticket(
                        title="Printer on 3rd floor is down",
                        requester="backends/invgate/users/100",
                        creator="backends/invgate/users/100",
                        category="backends/invgate/ticketCategories/1",
                        priority=t.TICKET_PRIORITY_HIGH,
                        type=t.TICKET_TYPE_INCIDENT,
                    ),
                ),
                timeout=10,
            )
        ).ticket
        print("created", ticket.name, t.TicketState.Name(ticket.state))
        await tickets.CreateComment(
            t.CreateCommentRequest(
                parent=ticket.name,
                comment=t.Comment(
                    body="<p>Replaced the toner.</p>",
                    author="backends/invgate/users/2",
                    is_solution=True,
                    visibility=t.COMMENT_VISIBILITY_PUBLIC,
                ),
            ),
            timeout=10,
        )
        closed = (
            await tickets.AcceptSolution(
                t.AcceptSolutionRequest(name=ticket.name, rating=5), timeout=10
            )
        ).ticket
        print("closed", closed.name, t.TicketState.Name(closed.state))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:50051"))
