"""The identity service: a thin servicer over the vendor adapters."""
