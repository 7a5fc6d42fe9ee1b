"""Vendor-neutral change capture: what changes in the vendor itself reaches the event stream.

One `Watcher` per process runs a `BackendWatcher` per configured backend whose adapter declares
change sources (`deskbridge.runtime.sources`), while it holds that backend's lease; the webhook
intake hands vendor callbacks to the same watchers. See ARCHITECTURE.md, "Data flow".
"""
