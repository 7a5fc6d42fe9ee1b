"""The tickets service: a thin servicer over the vendor adapters."""
