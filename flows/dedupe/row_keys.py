"""Which CSV row each record of a dedupe run was made of, to recognise work done before.

Per record, the 16-byte key of its row (``record_cache.row_key``: the row's id and every
value, so an equal key is an equal record, timestamps included) and the source it came from;
all in one bytes object (16 MB for a million records, not a million objects). A record read
from a CRM has no row key. What a key means besides its row (the source, its mapping, the
transform settings, the code: ``record_cache.cache_validity``) is the ``validity`` of the
whole set. A group of records is known by its members' keys in order (``group_key``): the
golden record cache (``golden_cache``) finds a cluster made of the same rows by it.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Sequence
from itertools import repeat
from typing import Final

__all__ = ["NO_KEY", "RowKeys"]

_WIDTH: Final = 16
NO_KEY: Final = bytes(_WIDTH)


class RowKeys:
    """The row keys of a run's records, source by source in the order they were read."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._joined = b""
        self._origin = array("I")
        self._meanings: list[str] = []

    def add_source(self, meaning: str, keys: Sequence[bytes], count: int) -> None:
        """The next source's ``count`` records, with their row keys (none at all for a
        source that is not a file); ``meaning``: what its keys depend on besides the row."""
        if len(keys) != count:
            keys = [NO_KEY] * count
        self._parts.append(b"".join(keys))
        self._origin.extend(repeat(len(self._meanings), count))
        self._meanings.append(meaning)

    def __len__(self) -> int:
        return len(self._origin)

    @property
    def validity(self) -> str:
        """The sources' meanings in order, as one digest."""
        return hashlib.blake2b("\0\0".join(self._meanings).encode(), digest_size=16).hexdigest()

    def group_key(self, members: Sequence[int]) -> bytes | None:
        """A digest of the members' sources and row keys, in the order given; None when a
        member has no row key."""
        if self._parts:
            self._joined = b"".join([self._joined, *self._parts])
            self._parts = []
        data, origin = self._joined, self._origin
        pieces: list[bytes] = []
        for i in members:
            key = data[i * _WIDTH : (i + 1) * _WIDTH]
            if key == NO_KEY or len(key) != _WIDTH:
                return None
            pieces.append(origin[i].to_bytes(4, "little"))
            pieces.append(key)
        return hashlib.blake2b(b"".join(pieces), digest_size=16).digest()
