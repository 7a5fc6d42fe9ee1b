"""Requestor (requestor.com s.r.o.): its REST API actions (VENDORS.md §4) behind deskbridge.v1."""
