"""The logging filter every crmbridge log handler carries: secrets and personal data out.

Set on a handler (the terminal's, the Prefect run log bridge's), it sees every record that
handler writes, crmbridge's own and its libraries' (urllib3 at -vv names every URL). The
message is rendered, its traceback appended, and the text scrubbed
(``flows.privacy.masking.scrub_text``), so no formatter downstream can bring a value back.
"""

from __future__ import annotations

import logging
import traceback

from flows.privacy.masking import scrub_text

__all__ = ["LogScrubber", "scrubbed_message"]


def scrubbed_message(record: logging.LogRecord) -> str:
    """The record's message with its traceback, scrubbed."""
    message = record.getMessage()
    if record.exc_info and record.exc_info[1] is not None:
        message += "\n" + "".join(traceback.format_exception(record.exc_info[1])).rstrip()
    elif record.exc_text:
        message += "\n" + record.exc_text
    if record.stack_info:
        message += "\n" + record.stack_info
    return scrub_text(message)


class LogScrubber(logging.Filter):
    """Replaces each record's message by its scrubbed text (arguments and traceback folded
    in); never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrubbed_message(record)
        record.args = None
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
