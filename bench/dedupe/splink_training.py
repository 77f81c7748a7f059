"""How the Splink baseline trains its model; plain data, so specs can name it without Splink."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["CONTACT_TRAINING", "SplinkTraining"]


@dataclass(frozen=True)
class SplinkTraining:
    """The prior from ``deterministic`` blocking rules (SQL on ``l.``/``r.`` columns) assumed
    to find ``recall`` of the matches, u from ``u_pairs`` random pairs, then EM once per rule
    of ``em_rules`` on at most ``em_max_pairs`` sampled pairs."""

    deterministic: tuple[str, ...]
    recall: float
    em_rules: tuple[str, ...]
    u_pairs: float = 2e6
    em_max_pairs: float = 1e6


# Contacts: the same mobile or email is near-certain, and EM learns each comparison on pairs
# blocked by evidence of another kind.
CONTACT_TRAINING: Final = SplinkTraining(
    deterministic=("l.mobile = r.mobile", "l.email = r.email"),
    recall=0.7,
    em_rules=("l.mobile = r.mobile", "l.email = r.email"),
)
