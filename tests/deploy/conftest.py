"""deploy/ rendered once per session: every overlay, as `kubectl kustomize` gives it."""

from __future__ import annotations

import pytest
from deploy_support import DEPLOY, OVERLAYS, Obj, render


@pytest.fixture(scope="session")
def rendered() -> dict[str, list[Obj]]:
    """overlay name → its rendered objects."""
    return {overlay: render(DEPLOY / "overlays" / overlay) for overlay in OVERLAYS}
