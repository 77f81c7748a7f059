"""crmbridge's own log records, forwarded to another logger (a Prefect flow run's), redacted.

crmbridge logs through ``logging.getLogger(__name__)`` in its four packages; inside a flow
run those records should be in the run's log in the Prefect UI, not only on a terminal.
The bridge copies them, with secrets masked the way the HTTP core masks them and personal data
masked as the terminal masks it (``flows.privacy``), at INFO and above (DEBUG with ``level``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flows.privacy.logfilter import scrubbed_message

__all__ = ["OUR_LOGGERS", "RunLogBridge", "forward_logs"]

OUR_LOGGERS = ("canonical", "connectors", "mapping", "flows")


class RunLogBridge(logging.Handler):
    """Re-logs each record on ``target`` as ``logger.name: message``, redacted."""

    def __init__(self, target: logging.Logger | logging.LoggerAdapter[logging.Logger],
                 level: int = logging.INFO) -> None:  # fmt: skip
        super().__init__(level)
        self.target = target

    def emit(self, record: logging.LogRecord) -> None:
        try:
            # Secrets and (unless --show-pii) phones, emails and names masked: the run's log
            # lands in the Prefect database, read by everyone who reads the UI.
            message = scrubbed_message(record)
            self.target.log(record.levelno, "%s: %s", record.name, message)
        except Exception:
            self.handleError(record)


@contextmanager
def forward_logs(
    target: logging.Logger | logging.LoggerAdapter[logging.Logger], level: int = logging.INFO
) -> Iterator[RunLogBridge]:
    """Forward crmbridge's records at ``level`` and above to ``target`` during the block.

    Our loggers are opened to ``level`` for the block (the command line leaves them at
    WARNING unless ``-v``) and stop propagating: the run's logger shows each record once, on
    the console too, where the root's handlers would show it a second time."""
    bridge = RunLogBridge(target, level)
    loggers = [logging.getLogger(name) for name in OUR_LOGGERS]
    saved = [(lg, lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        if lg.getEffectiveLevel() > level:
            lg.setLevel(level)
        lg.addHandler(bridge)
        lg.propagate = False
    try:
        yield bridge
    finally:
        for lg, previous, propagate in saved:
            lg.removeHandler(bridge)
            lg.setLevel(previous)
            lg.propagate = propagate
