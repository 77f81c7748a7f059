"""The single pagination loop of the library and the paginator contract it drives.

A paginator never sends anything: it reads each response into its state and derives the next
request. The loop sends, yields, and refuses to send the same request twice.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import requests

from connectors.http.errors import PaginationLoopError
from connectors.http.redaction import sanitize_url
from connectors.http.request import RequestSpec

__all__ = ["Page", "Paginator", "RequestSender", "paginate"]


class RequestSender(Protocol):
    def send(self, spec: RequestSpec) -> requests.Response: ...


@dataclass(frozen=True)
class Page:
    """One fetched page: the request that produced it and the classified-ok response."""

    request: RequestSpec
    response: requests.Response
    number: int


class Paginator(ABC):
    """Pagination state for one traversal; make a new instance per traversal."""

    def init_request(self, request: RequestSpec) -> RequestSpec:
        """Adjust the first request (e.g. add `page=1`)."""
        return request

    @abstractmethod
    def update_state(self, response: requests.Response) -> None:
        """Read the response into the paginator's state (next token, more pages or not)."""

    @abstractmethod
    def update_request(self, request: RequestSpec) -> RequestSpec:
        """The request for the next page, derived from the previous one and the state."""

    @property
    @abstractmethod
    def has_next_page(self) -> bool: ...


def paginate(
    client: RequestSender, first_request: RequestSpec, paginator: Paginator
) -> Iterator[Page]:
    """Yield every page, following `paginator` until it says there is no next page.

    Raises `PaginationLoopError` when the next request equals one already sent: an API that
    hands back a token twice would otherwise be read forever.
    """
    request = paginator.init_request(first_request)
    seen: set[str] = set()
    number = 1
    while True:
        seen.add(request.fingerprint())
        response = client.send(request)
        paginator.update_state(response)
        yield Page(request=request, response=response, number=number)
        if not paginator.has_next_page:
            return
        request = paginator.update_request(request)
        if request.fingerprint() in seen:
            raise PaginationLoopError(
                f"page {number + 1} would repeat an earlier request to "
                f"{sanitize_url(request.url)}; the API returned the same page state twice"
            )
        number += 1
