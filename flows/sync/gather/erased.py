"""Records of people ``crmbridge forget`` erased: no read brings them back.

The store keeps salted hashes of an erased person's record refs, email and mobile
(``flows.store.erasure``). Every read that could write a person out again (a sync or
migration side, a dedupe or normalise job's sources) asks ``is_erased`` of each record and
leaves such a record alone: counted, logged, never written and never dead-lettered (a dead
letter would keep the personal data the erasure removed).
"""

from __future__ import annotations

from typing import Final

from canonical import Account, Contact, Deal, Feedback, SourceRef
from flows.store import StateStore
from flows.store.erasure import ErasedMatcher
from flows.sync.gather.matcher import match_keys
from flows.sync.planning.values import canonical_values

__all__ = ["ERASED_MESSAGE", "erased_in", "is_erased"]

_ERASED_KEYS: Final = ("email", "mobile")
ERASED_MESSAGE: Final = "record(s) left alone: erased by crmbridge forget"


def erased_in(store: StateStore | None) -> ErasedMatcher:
    """The erased people of ``store`` (none without a store)."""
    return store.erasures.matcher() if store is not None else ErasedMatcher(None, frozenset())


def is_erased(matcher: ErasedMatcher, ref: SourceRef, record: object) -> bool:
    """Whether ``record`` (read as ``ref``; a canonical record, or a Rejected whose keys are
    unknown) is an erased person's: by its own ref, or its email or mobile."""
    if not matcher:
        return False
    keys: dict[str, str] = {}
    if isinstance(record, Account | Contact | Feedback | Deal):
        keys = match_keys(canonical_values(record), _ERASED_KEYS)
    return matcher.erased(ref, keys)
