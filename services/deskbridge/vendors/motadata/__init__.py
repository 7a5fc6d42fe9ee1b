"""Motadata ServiceOps: its REST API v1 (VENDORS.md §2) behind the deskbridge.v1 contracts."""
