"""A cached bearer token: one fetch for many callers, on expiry and on a 401."""

from __future__ import annotations

import asyncio

from deskbridge.runtime.tokens import CachedToken, Token


def counting(expires_in: float = 3600.0, delay: float = 0.01):
    issued: list[str] = []

    async def fetch(base_url: str) -> Token:
        await asyncio.sleep(delay)  # a network round trip: callers pile up meanwhile
        issued.append(f"t{len(issued) + 1}")
        return Token(issued[-1], expires_in)

    return fetch, issued


async def test_a_hundred_concurrent_callers_cause_one_fetch():
    fetch, issued = counting()
    auth = CachedToken(fetch)
    headers = await asyncio.gather(*(auth.authorization("http://x") for _ in range(100)))
    assert set(headers) == {"Bearer t1"} and issued == ["t1"]


async def test_a_401_to_a_hundred_callers_refreshes_once():
    fetch, issued = counting()
    auth = CachedToken(fetch)
    first = await auth.authorization("http://x")
    refreshed = await asyncio.gather(
        *(auth.authorization("http://x", refresh=True, rejected=first) for _ in range(100))
    )
    assert set(refreshed) == {"Bearer t2"} and issued == ["t1", "t2"]


async def test_an_expired_token_is_fetched_again():
    fetch, issued = counting(expires_in=0.05, delay=0)
    auth = CachedToken(fetch, margin=30)
    assert await auth.authorization("http://x") == "Bearer t1"
    assert await auth.authorization("http://x") == "Bearer t1"  # never beyond its own life
    await asyncio.sleep(0.06)
    assert await auth.authorization("http://x") == "Bearer t2"
    assert issued == ["t1", "t2"]


async def test_a_token_is_refreshed_its_margin_before_expiry():
    fetch, issued = counting(expires_in=30.04, delay=0)  # 40 ms of life beyond the margin
    auth = CachedToken(fetch, margin=30, minimum_ttl=0.01)
    await auth.authorization("http://x")
    await asyncio.sleep(0.06)  # the token still has ~30 s to live, but is inside its margin
    assert await auth.authorization("http://x") == "Bearer t2"
    assert issued == ["t1", "t2"]
