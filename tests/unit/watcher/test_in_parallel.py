"""`in_parallel`, how a poll cycle publishes the changes of different resources side by side:
within the bound, each group whole, and after a failure nothing new starts and the running
ones finish before the failure is raised."""

from __future__ import annotations

import asyncio

import pytest

from deskbridge.watcher.poller import in_parallel


class Work:
    def __init__(self, fail_on: int | None = None) -> None:
        self.fail_on = fail_on
        self.started: list[int] = []
        self.finished: list[int] = []
        self.running = 0
        self.peak = 0

    async def __call__(self, group: list[int]) -> None:
        self.started.append(group[0])
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            for _ in group:  # one step after the other, as a resource's changes are
                await asyncio.sleep(0.001)
                if group[0] == self.fail_on:
                    raise ConnectionError("the publish failed")
            self.finished.append(group[0])
        finally:
            self.running -= 1


async def test_every_group_runs_once_within_the_bound():
    work = Work()
    groups = [[i, i, i] for i in range(40)]
    await in_parallel(groups, work, 8)
    assert sorted(work.finished) == list(range(40))
    assert work.peak == 8


async def test_a_failure_starts_nothing_new_and_is_raised_after_the_running_ones():
    work = Work(fail_on=5)
    with pytest.raises(ConnectionError):
        await in_parallel([[i, i] for i in range(100)], work, 4)
    assert work.running == 0  # nothing left running behind the raise
    assert 5 not in work.finished
    assert len(work.started) < 100  # the groups after the failure were not started
    assert set(work.finished) == set(work.started) - {5}


async def test_one_group_runs_without_workers():
    work = Work()
    await in_parallel([[7]], work, 64)
    assert work.finished == [7]
