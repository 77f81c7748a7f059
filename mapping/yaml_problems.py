"""What is wrong with a YAML file, said so a user can find and fix it: file, line, YAML path.

Shared by loading (syntax, duplicate keys) and validation (pydantic errors), and by every
check of a configuration that finds a problem of its own (``did_you_mean`` hints).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Location", "Problem", "YamlDocError", "closest", "did_you_mean", "format_location"]

Location = tuple[object, ...]
"""A path into a document: mapping keys and list indices, outermost first."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: where (line and YAML path) and what."""

    line: int | None
    location: str
    message: str


class YamlDocError(Exception):
    """A YAML file that cannot be used; ``str()`` gives one ``file:line: path: message`` a line."""

    def __init__(self, path: Path, problems: Iterable[Problem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        super().__init__(path, self.problems)

    def __str__(self) -> str:
        name = _display_name(self.path)
        return "\n".join(_format_problem(name, problem) for problem in self.problems)


def closest(name: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``name`` (case-insensitive), or None if none is close."""
    options = {choice.casefold(): choice for choice in choices}
    found = difflib.get_close_matches(name.casefold(), list(options), n=1, cutoff=0.6)
    return options[found[0]] if found else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or ``""``."""
    match = closest(name, choices)
    return f"; did you mean {match!r}?" if match is not None else ""


def format_location(location: Sequence[object]) -> str:
    """``("jobs", 0, "sources", 1, "path")`` -> ``"jobs[0].sources[1].path"``."""
    text = ""
    for part in location:
        if isinstance(part, str) and _PLAIN_KEY.fullmatch(part):
            text += f".{part}" if text else part
        elif isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            text += f"[{part!r}]"
    return text


_PLAIN_KEY = re.compile(r"[^.\[\]\s'\"]+")


def _display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _format_problem(name: str, problem: Problem) -> str:
    where = f"{name}:{problem.line}" if problem.line is not None else name
    if problem.location:
        return f"{where}: {problem.location}: {problem.message}"
    return f"{where}: {problem.message}"
