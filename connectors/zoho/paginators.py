"""Zoho's paging: `page`/`per_page` for the first 2,000 records, then `page_token`.

Zoho refuses `page` beyond 2,000 records (DISCRETE_PAGINATION_LIMIT_EXCEEDED); past that the
`info.next_page_token` of the previous page must be sent instead of `page`, with every other
parameter unchanged (the token is bound to them). 204 is an empty last page; 304 (with
If-Modified-Since) means nothing changed.
"""

from __future__ import annotations

import requests

from connectors.http import Paginator, RequestSpec
from connectors.zoho.errors import ZohoPaginationError

__all__ = ["DISCRETE_PAGE_LIMIT", "MAX_PER_PAGE", "ZohoPaginator"]

MAX_PER_PAGE = 200
DISCRETE_PAGE_LIMIT = 2000


class ZohoPaginator(Paginator):
    """Pages 1..N while `page * per_page <= 2000`, then follows `next_page_token`."""

    def __init__(self, per_page: int = MAX_PER_PAGE, discrete_limit: int = DISCRETE_PAGE_LIMIT):
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")
        self.per_page = per_page
        self.discrete_limit = discrete_limit
        self._page = 1
        self._more = True
        self._token: str | None = None
        self.not_modified = False

    def init_request(self, request: RequestSpec) -> RequestSpec:
        return request.with_params(page="1", per_page=str(self.per_page), drop=("page_token",))

    def update_state(self, response: requests.Response) -> None:
        if response.status_code in (204, 304):
            self.not_modified = response.status_code == 304
            self._more = False
            return
        try:
            body = response.json()
        except ValueError:
            body = None  # the page's own parse reports it
        info = body.get("info") if isinstance(body, dict) else None
        info = info if isinstance(info, dict) else {}
        self._more = bool(info.get("more_records"))
        token = info.get("next_page_token")
        self._token = token if isinstance(token, str) and token else None

    @property
    def has_next_page(self) -> bool:
        return self._more

    def update_request(self, request: RequestSpec) -> RequestSpec:
        self._page += 1
        if self._page * self.per_page <= self.discrete_limit:
            return request.with_params(page=str(self._page))
        if self._token is None:
            raise ZohoPaginationError(
                f"more than {self.discrete_limit} records but no next_page_token was given",
                code="DISCRETE_PAGINATION_LIMIT_EXCEEDED",
                url=request.url,
            )
        return request.with_params(page_token=self._token, drop=("page",))
