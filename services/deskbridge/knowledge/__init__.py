"""The knowledge service: a thin servicer over the vendor adapters."""
