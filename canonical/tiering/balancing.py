"""Balancing new accounts inside a team: round-robin or least-loaded, deterministically.

Round-robin continues where the last run stopped (the position is kept per team), so a
team gets its accounts in turn across runs. Least-loaded gives each account to the member
who owns the fewest accounts right now (ties: the first listed), counting as it goes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["TeamBalancer"]


def _key(email: str) -> str:
    return email.strip().casefold()


@dataclass
class TeamBalancer:
    """Picks owners for one run. ``positions``: team name -> next round-robin position
    (read back after the run to keep it); ``load``: owner email -> accounts owned now."""

    positions: dict[str, int] = field(default_factory=dict)
    load: dict[str, int] = field(default_factory=dict)

    @classmethod
    def starting(cls, positions: Mapping[str, int], load: Mapping[str, int]) -> TeamBalancer:
        counted: dict[str, int] = {}
        for email, count in load.items():
            counted[_key(email)] = counted.get(_key(email), 0) + count
        return cls(dict(positions), counted)

    def load_of(self, email: str) -> int:
        return self.load.get(_key(email), 0)

    def pick(self, team_name: str, team: Sequence[str], how: str) -> tuple[str, str]:
        """(owner, how it was chosen) for the next account of ``team``."""
        if not team:
            raise ValueError(f"team {team_name!r} has no members")
        if how == "least_loaded":
            owner = min(team, key=lambda email: (self.load_of(email), team.index(email)))
            note = f"least loaded ({self.load_of(owner)} accounts)"
        else:
            position = self.positions.get(team_name, 0) % len(team)
            owner = team[position]
            self.positions[team_name] = (position + 1) % len(team)
            note = f"round robin {position + 1}/{len(team)}"
        return owner, note

    def moved(self, old: str | None, new: str) -> None:
        """An account changed hands: the new owner carries one more, the old one less."""
        self.load[_key(new)] = self.load_of(new) + 1
        if old is not None and self.load_of(old) > 0:
            self.load[_key(old)] = self.load_of(old) - 1
