"""The fixtures every vendor sandbox's contract tests build the same way: sandboxes started
with given settings and stopped at teardown, and one default sandbox for the session."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

Open = Callable[..., Awaitable[tuple[Any, Any]]]  # (**settings) → (server handle, test view)
Close = Callable[[Any, Any], Awaitable[None]]


def starter(open_: Open, close: Close):
    """A fixture: `await start(**settings)` → a running sandbox's test view; all stopped at
    teardown."""

    @pytest.fixture
    async def start():
        running: list[tuple[Any, Any]] = []

        async def started(**settings: Any) -> Any:
            running.append(await open_(**settings))
            return running[-1][1]

        yield started
        for handle, view in running:
            await close(handle, view)

    return start


def session_sandbox(open_: Open, close: Close):
    """A session fixture: one sandbox with the default settings, for every test to reset."""

    @pytest.fixture(scope="session")
    async def default_sandbox():
        handle, view = await open_()
        yield view
        await close(handle, view)

    return default_sandbox
