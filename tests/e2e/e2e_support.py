"""Helpers shared by the end-to-end tests."""

from __future__ import annotations

from dataclasses import replace

from deskbridge.runtime.settings import BackendConfig, Settings


def settings_for(tmp_path, *backends: BackendConfig, nats_url: str | None = None) -> Settings:
    return replace(
        Settings(grpc_address="127.0.0.1:0", data_dir=tmp_path, shutdown_grace_seconds=5),
        nats_url=nats_url,
        backends=backends,
    )
