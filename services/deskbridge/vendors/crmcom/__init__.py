"""CRM.COM: its Web API (R-series, REST v2; VENDORS.md §3) behind the deskbridge.v1 contracts."""
