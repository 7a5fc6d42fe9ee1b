"""The approvals service: a thin servicer over the vendor adapters."""
