"""Reading a reply within bounds: a total time and a maximum decoded size per attempt.

requests' read timeout restarts with every byte, so a server that trickles one byte every
few seconds could hold a call for ever; and a small gzip reply can expand to gigabytes. The
body is therefore read here, in pieces as they arrive, against a deadline and a size limit
on the decoded bytes (so a compression bomb is stopped at the limit, not after expanding).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import requests

from connectors.http.errors import FatalAPIError
from connectors.http.redaction import sanitize_url

__all__ = ["ReplyDeadlineError", "ReplyTooLargeError", "read_bounded"]

_PIECE = 64 * 1024


class ReplyTooLargeError(FatalAPIError):
    """A reply larger (decoded) than the client accepts; nothing of it is used."""


class ReplyDeadlineError(requests.exceptions.ReadTimeout):
    """The whole reply took longer than the attempt's deadline (a trickling server). A read
    timeout: an idempotent request is retried, a write's outcome is unknown."""


def read_bounded(
    response: requests.Response,
    *,
    seconds: float,
    max_bytes: int,
    started: float,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Read ``response``'s body (decoded) into it, within ``seconds`` of ``started`` and
    ``max_bytes``; the response is closed either way."""
    pieces: list[bytes] = []
    size = 0
    url = sanitize_url(response.url)
    try:
        while True:
            if clock() - started > seconds:
                raise ReplyDeadlineError(
                    f"the reply of {url} took longer than {seconds:g} s in all "
                    f"({size} bytes arrived); the server is too slow or stalls",
                    response=response,
                )
            piece = response.raw.read1(_PIECE, decode_content=True)
            if not piece:
                break
            size += len(piece)
            if size > max_bytes:
                raise ReplyTooLargeError(
                    f"the reply is larger than the {max_bytes // 2**20} MiB a reply may be "
                    "(decoded); nothing of it was used",
                    status=response.status_code,
                    url=url,
                )
            pieces.append(piece)
    finally:
        response.close()
    response._content = b"".join(pieces)  # what .content, .text and .json() read
    response._content_consumed = True  # type: ignore[attr-defined]
