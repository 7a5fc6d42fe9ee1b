"""Contract tests: each vendor's sandbox over real HTTP (and InvGate's adapter client against
it). `sandboxes.py` is what the vendors' fixtures share."""
