"""BackendService: which backends are configured and what each vendor supports."""
