"""The event loop choice (runtime/eventloop.py): uvloop by default, asyncio's on request, and a
clear refusal of anything else, from the library and from the CLI."""

from __future__ import annotations

import asyncio

import pytest

from deskbridge.cli import main
from deskbridge.cli.render import EXIT_USAGE
from deskbridge.runtime import eventloop


async def _running() -> tuple[str, str]:
    await asyncio.sleep(0)  # a real turn of the loop
    return eventloop.loop_name(), type(asyncio.get_running_loop()).__module__


def test_uvloop_by_default(monkeypatch):
    monkeypatch.delenv(eventloop.EVENT_LOOP_VARIABLE, raising=False)
    name, module = eventloop.run(_running())
    assert name == "uvloop" and module.startswith("uvloop")


@pytest.mark.parametrize("given", ["asyncio", " AsyncIO "])
def test_the_standard_loop_when_asked(monkeypatch, given):
    monkeypatch.setenv(eventloop.EVENT_LOOP_VARIABLE, given)
    name, module = eventloop.run(_running())
    assert name == "asyncio" and module.startswith("asyncio")


def test_an_explicit_choice_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv(eventloop.EVENT_LOOP_VARIABLE, "asyncio")
    assert eventloop.run(_running(), choice="uvloop")[0] == "uvloop"


def test_without_uvloop_installed_the_standard_loop(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "uvloop", None)  # `import uvloop` raises ImportError
    assert eventloop.loop_factory("uvloop") is None
    assert eventloop.run(_running())[0] == "asyncio"


def test_an_unknown_loop_is_refused_without_leaking_the_coroutine(monkeypatch):
    monkeypatch.setenv(eventloop.EVENT_LOOP_VARIABLE, "trio")
    coroutine = _running()
    with pytest.raises(ValueError, match=r"DESKBRIDGE_EVENT_LOOP='trio'.*uvloop, asyncio"):
        eventloop.run(coroutine)
    assert coroutine.cr_frame is None  # closed: no "coroutine was never awaited" later


def test_the_cli_says_what_is_wrong(monkeypatch, capsys):
    monkeypatch.setenv(eventloop.EVENT_LOOP_VARIABLE, "tokio")
    assert main(["backends", "list"]) == EXIT_USAGE
    assert "deskbridge: DESKBRIDGE_EVENT_LOOP='tokio'" in capsys.readouterr().err
