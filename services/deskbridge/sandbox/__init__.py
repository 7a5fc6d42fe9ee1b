"""Runnable emulators of the vendor APIs, for demos, tests and benchmarks."""
