"""Collecting one ``WriteResult`` per input item while a write call goes batch by batch.

Adapters send batches themselves (rather than through a connector generator) so that one
batch lost to a timeout does not stop the batches after it; ``BatchOutcomes`` keeps the
results in input order and turns a run-stopping error into ``WriteInterruptedError``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

import requests

from connectors.batching import chunks
from connectors.http import (
    BudgetExhaustedError,
    ConnectorError,
    FatalAPIError,
    RecordError,
    RetriableAPIError,
)
from connectors.record_system import WriteInterruptedError, WriteResult, WriteStatus

__all__ = ["WRITE_ERRORS", "BatchOutcomes", "chunks"]  # chunks: from connectors.batching

logger = logging.getLogger(__name__)


WRITE_ERRORS = (ConnectorError, requests.RequestException)
"""What one batch of a write may raise; ``BatchOutcomes.failed`` sorts them out."""


class BatchOutcomes:
    """The results of one write call over ``total`` input items.

    ``ids`` optionally names the record each input item is about (updates, deletes), so a
    failed item still carries its record id.
    """

    def __init__(self, system: str, operation: str, total: int, ids: Sequence[str] = ()) -> None:
        self.system = system
        self.operation = operation
        self.total = total
        self._ids = ids
        self._results: dict[int, WriteResult] = {}

    def _id(self, index: int) -> str | None:
        return self._ids[index] if index < len(self._ids) else None

    def add(self, result: WriteResult) -> None:
        self._results[result.index] = result

    def add_all(self, results: Iterable[WriteResult]) -> None:
        for result in results:
            self.add(result)

    def mark(self, start: int, count: int, status: WriteStatus, message: str) -> None:
        """Give every item in [start, start + count) the same status."""
        for index in range(start, start + count):
            self.add(WriteResult(index, status, self._id(index), message))

    def failed(self, start: int, count: int, exc: Exception) -> None:
        """Record a batch-level error that does not stop the call, or raise one that does.

        A refusal of the whole request is REJECTED; a lost reply or exhausted retries leave
        the outcome unknown (FAILED) unless the server said it did nothing (NOT_SENT).
        """
        where = f"{self.system} {self.operation} of items {start}..{start + count - 1}"
        if isinstance(exc, RecordError):
            self.mark(start, count, WriteStatus.REJECTED, str(exc))
        elif isinstance(exc, RetriableAPIError) and exc.not_processed:
            self.mark(start, count, WriteStatus.NOT_SENT, f"not processed: {exc}")
        elif isinstance(exc, RetriableAPIError | requests.RequestException):
            logger.warning("%s: outcome unknown (%s)", where, exc)
            self.mark(start, count, WriteStatus.FAILED, f"outcome unknown: {exc}")
        elif isinstance(exc, BudgetExhaustedError):
            self.mark(start, count, WriteStatus.NOT_SENT, str(exc))
            self.interrupt(f"{where}: {exc}")
        elif isinstance(exc, FatalAPIError):
            # An HTTP refusal did nothing; a reply we could not read leaves the outcome unknown.
            refused = exc.status is not None and exc.status >= 400
            status = WriteStatus.NOT_SENT if refused else WriteStatus.FAILED
            self.mark(start, count, status, str(exc))
            self.interrupt(f"{where}: {exc}")
        elif isinstance(exc, ConnectorError):
            self.mark(start, count, WriteStatus.FAILED, str(exc))
            self.interrupt(f"{where}: {exc}")
        else:
            raise exc  # not a write error: a bug, surfaced as is

    def interrupt(self, message: str) -> None:
        """Mark every item without a result NOT_SENT and raise WriteInterruptedError."""
        for index in range(self.total):
            if index not in self._results:
                self.add(WriteResult(index, WriteStatus.NOT_SENT, self._id(index), message))
        raise WriteInterruptedError(message, self.results())

    def results(self) -> list[WriteResult]:
        missing = [i for i in range(self.total) if i not in self._results]
        if missing:
            # An adapter bug, not a CRM answer: never let a caller pair results wrongly.
            raise RuntimeError(
                f"{self.system} {self.operation}: no result for items {missing[:10]}"
            )
        return [self._results[i] for i in range(self.total)]
