"""InvGate Service Management REST API v1 (`/api/v1/{endpoint.key}`)."""
