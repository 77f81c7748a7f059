"""Who is to be forgotten: an email, a mobile or a record, normalised as the mappings
normalise them, so that the sync engine's business keys compare equal."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from canonical.email import normalise_email
from canonical.errors import InvalidValueError
from canonical.models import SourceRef
from canonical.phone import normalise_phone
from flows.sync.gather.matcher import match_keys

__all__ = ["KEY_KINDS", "ErasureSubject", "SubjectError"]

KEY_KINDS = ("email", "mobile")
"""The business keys that identify a person across systems."""


class SubjectError(ValueError):
    """The person to forget is not given in a form that can be looked for."""


@dataclass(frozen=True)
class ErasureSubject:
    """The person as given on the command line, plus the keys learned from their records."""

    keys: Mapping[str, str] = field(default_factory=dict)
    ref: SourceRef | None = None

    @classmethod
    def parse(
        cls,
        *,
        email: str | None = None,
        mobile: str | None = None,
        record: str | None = None,
        region: str = "CN",
    ) -> ErasureSubject:
        given = [v for v in (email, mobile, record) if v]
        if len(given) != 1:
            raise SubjectError("name the person once: --email, --mobile or --id")
        values: dict[str, str] = {}
        if email:
            try:
                values["email"] = normalise_email(email)
            except InvalidValueError as exc:
                raise SubjectError(f"--email is not an email address: {exc.reason}") from None
        if mobile:
            try:
                values["mobile"] = normalise_phone(mobile, region).e164
            except InvalidValueError as exc:
                raise SubjectError(f"--mobile is not a phone number: {exc.reason}") from None
        ref = _parse_ref(record) if record else None
        return cls(keys=match_keys(values, KEY_KINDS), ref=ref)

    def with_keys(self, values: Mapping[str, object]) -> ErasureSubject:
        """The subject also known by the email and mobile of one of their records."""
        learned = match_keys({k: v for k, v in values.items() if isinstance(v, str)}, KEY_KINDS)
        return ErasureSubject(keys={**learned, **self.keys}, ref=self.ref)

    def matches(self, keys: Mapping[str, str]) -> bool:
        return any(self.keys.get(kind) == value for kind, value in keys.items())

    @property
    def identifier(self) -> str:
        """What the request named, as ``kind:value`` (for the audit's salted hash)."""
        if self.ref is not None:
            return f"record:{self.ref}"
        kind = next(iter(self.keys))
        return f"{kind}:{self.keys[kind]}"


def _parse_ref(text: str) -> SourceRef:
    system, _, rest = text.partition(":")
    object_, _, record_id = rest.partition(":")
    if not (system and object_ and record_id):
        raise SubjectError(f"--id {text!r}: write SYSTEM:OBJECT:ID, e.g. zoho:Contacts:57257...")
    return SourceRef(system=system, object=object_, id=record_id)
