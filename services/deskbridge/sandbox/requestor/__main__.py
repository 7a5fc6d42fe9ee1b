"""`python -m deskbridge.sandbox.requestor`."""

from __future__ import annotations

import argparse

from deskbridge.sandbox.common.runner import (
    add_fault_arguments,
    faults_from,
    serve_until_signalled,
)
from deskbridge.sandbox.requestor import SandboxConfig, create_app
from deskbridge.sandbox.requestor.config import ANSWERS, PAYLOAD_STYLES, UNKNOWN_CUSTOMER


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="deskbridge sandbox requestor", description="Requestor REST API sandbox"
    )
    defaults = SandboxConfig()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8084)
    parser.add_argument("--username", default=defaults.username)
    parser.add_argument("--password", default=defaults.password)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--tickets", type=int, default=defaults.ticket_count)
    for name in ("new_ticket_answer", "create_user_answer"):
        option = "--" + name.replace("_", "-")
        parser.add_argument(option, choices=ANSWERS, default=getattr(defaults, name))
    parser.add_argument(
        "--unknown-customer", choices=UNKNOWN_CUSTOMER, default=defaults.unknown_customer
    )
    parser.add_argument("--delete-trigger-location", default=defaults.delete_trigger_location)
    parser.add_argument("--absolute-location", action="store_true")
    parser.add_argument("--delete-trigger-status", type=int, choices=[200, 204], default=200)
    parser.add_argument("--payload", choices=PAYLOAD_STYLES, default="entity")
    parser.add_argument("--delivery-attempts", type=int, default=defaults.delivery_attempts)
    parser.add_argument("--delivery-backoff", type=float, default=defaults.delivery_backoff_seconds)
    parser.add_argument("--delivery-timeout", type=float, default=defaults.delivery_timeout_seconds)
    add_fault_arguments(parser)
    args = parser.parse_args(argv)
    config = SandboxConfig(
        seed=args.seed,
        ticket_count=args.tickets,
        username=args.username,
        password=args.password,
        new_ticket_answer=args.new_ticket_answer,
        create_user_answer=args.create_user_answer,
        unknown_customer=args.unknown_customer,
        delete_trigger_location=args.delete_trigger_location,
        absolute_location=args.absolute_location,
        delete_trigger_status=args.delete_trigger_status,
        payload_template=args.payload,
        delivery_attempts=args.delivery_attempts,
        delivery_backoff_seconds=args.delivery_backoff,
        delivery_timeout_seconds=args.delivery_timeout,
        faults=faults_from(args, args.seed),
    )
    return serve_until_signalled(create_app(config), args.host, args.port, _banner(config))


def _banner(config: SandboxConfig):
    return lambda url: (
        f"Requestor sandbox on {url}/api/ (HTTP Basic {config.username} / {config.password}); "
        f"e.g. POST {url}/api/Tickets/NewTicket, POST {url}/api/PowerAutomate/"
        f'CreateTicketCreatedTrigger {{"CallbackUrl": …}}; control API {url}/_sandbox/ '
        f"(operator: {url}/_sandbox/operator/tickets/{{id}})"
    )


if __name__ == "__main__":
    raise SystemExit(main())
