"""ForkedStream: items made in a forked process, received in order, failures re-raised."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from flows.dedupe.forked import ForkedCallError, ForkedStream


def _made_in() -> Iterator[tuple[int, int]]:
    for number in range(5):
        yield number, os.getpid()


def test_items_arrive_in_order_from_another_process() -> None:
    stream = ForkedStream(_made_in)
    received = list(stream)
    assert [number for number, _ in received] == [0, 1, 2, 3, 4]
    assert stream.forked and {pid for _, pid in received} != {os.getpid()}
    assert stream.seconds > 0


def test_without_fork_the_items_are_made_here() -> None:
    stream = ForkedStream(_made_in, fork=False)
    received = list(stream)
    assert not stream.forked
    assert received == [(number, os.getpid()) for number in range(5)]


def _fails_after_two() -> Iterator[int]:
    yield 1
    yield 2
    raise ValueError("row 3 of the batch is bad")


@pytest.mark.parametrize("fork", [True, False])
def test_a_failure_of_the_producer_reaches_the_reader_after_the_items_before(
    fork: bool,
) -> None:
    items = iter(ForkedStream(_fails_after_two, fork=fork))
    assert [next(items), next(items)] == [1, 2]
    with pytest.raises((ForkedCallError, ValueError), match="row 3 of the batch is bad"):
        next(items)


def _endless() -> Iterator[bytes]:
    while True:
        yield b"x" * 1_000_000


def test_a_reader_that_stops_early_ends_the_producer_quietly(
    capfd: pytest.CaptureFixture[str],
) -> None:
    stream = ForkedStream(_endless)
    items = iter(stream)
    assert len(next(items)) == 1_000_000
    stream.close()
    stream.close()  # again: nothing left to end
    process, _ = stream._started  # type: ignore[misc]
    assert not process.is_alive()
    assert "Traceback" not in capfd.readouterr().err


def _dies() -> Iterator[int]:
    yield 1
    os._exit(9)


def test_a_producer_that_dies_is_an_error_naming_its_exit_code() -> None:
    with pytest.raises(ForkedCallError, match="exit code 9"):
        list(ForkedStream(_dies))
