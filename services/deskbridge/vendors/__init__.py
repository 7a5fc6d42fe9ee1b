"""Vendor adapters: one sub-package per vendor (client, mapping, adapter)."""
