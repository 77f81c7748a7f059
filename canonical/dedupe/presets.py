"""Presets: a LinkageSpec plus the code that turns a record into that spec's feature row.

The built-in presets are known by kind ("contact", "account"); ``preset_for`` picks one
for a sequence of canonical records. A preset for other data (the FEBRL benchmark) is a
``Preset`` built the same way, or just a ``LinkageSpec`` with a ``FeatureTable``.
"""

from __future__ import annotations

from collections.abc import Sequence

from canonical.dedupe.account_preset import ACCOUNT_PRESET
from canonical.dedupe.contact_preset import CONTACT_PRESET
from canonical.dedupe.preset_base import Preset, TableBuilder
from canonical.models import Account, Contact

__all__ = ["Preset", "TableBuilder", "preset_for", "preset_named", "register_preset"]

_PRESETS: dict[str, Preset] = {}


def register_preset(preset: Preset) -> None:
    """Make a preset known by its spec's kind, for ``blocking_keys`` and ``match_one``."""
    _PRESETS[preset.spec.kind] = preset


def preset_named(kind: str) -> Preset:
    _load_builtin()
    try:
        return _PRESETS[kind]
    except KeyError:
        raise KeyError(
            f"no dedupe preset {kind!r}; known: {sorted(_PRESETS)} (register_preset adds one)"
        ) from None


def preset_for(records: Sequence[Contact] | Sequence[Account] | Contact | Account) -> Preset:
    """The preset for canonical Contacts or Accounts."""
    _load_builtin()
    sample = (
        records if isinstance(records, Contact | Account) else (records[0] if records else None)
    )
    if isinstance(sample, Account):
        return _PRESETS["account"]
    if sample is None or isinstance(sample, Contact):
        return _PRESETS["contact"]
    raise TypeError(f"dedupe works on Contacts or Accounts, got {type(sample).__name__}")


def _load_builtin() -> None:
    if "contact" not in _PRESETS:
        register_preset(CONTACT_PRESET)
        register_preset(ACCOUNT_PRESET)
