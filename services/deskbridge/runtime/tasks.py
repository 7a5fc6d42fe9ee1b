"""Stopping asyncio tasks for sure."""

from __future__ import annotations

import asyncio
import contextlib


async def cancel_and_wait(task: asyncio.Task) -> None:
    """Cancel `task` and wait until it is done, cancelling again each second: on Python 3.11
    `asyncio.wait_for` can swallow a cancellation that arrives as its inner call completes
    (gh-86296), and one lost cancel must not hang a shutdown."""
    while not task.done():
        task.cancel()
        await asyncio.wait([task], timeout=1.0)
    with contextlib.suppress(asyncio.CancelledError, Exception):
        task.result()
