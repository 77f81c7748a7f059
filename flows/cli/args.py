"""Where ``crmbridge`` accepts its global options: ``-v``/``--verbose``, ``--show-pii`` and
``--config`` before or after the command (``crmbridge -v run`` = ``crmbridge run -v``), and the
versioned envelope of every ``--json`` output.

Click parses a group's options before the command name and the command's after it; the
group below moves the tokens across before Click parses, so both spellings mean the same.
A ``--config`` given before the command becomes the command's own option, so it wins over
CRMBRIDGE_CONFIG exactly as when it is written after.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typer._click import Context  # the click that typer ships, which its groups take
from typer.core import TyperGroup

__all__ = ["CrmbridgeGroup", "envelope"]

_VERBOSE = frozenset({"-v", "-vv", "-vvv", "--verbose", "--show-pii"})  # global flags
_CONFIG = frozenset({"--config", "-c"})


def envelope(thing: str, data: Mapping[str, Any], version: int = 1) -> dict[str, Any]:
    """``--json`` output: ``{"schema": "crmbridge.<thing>/<version>", ...data}``. The version
    changes only when a field is removed or changes meaning; new fields may appear."""
    return {"schema": f"crmbridge.{thing}/{version}", **data}


class CrmbridgeGroup(TyperGroup):
    """The root command group, with global options accepted on either side of the command."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self._rearranged(ctx, list(args)))

    def _rearranged(self, ctx: Context, args: list[str]) -> list[str]:
        before: list[str] = []
        config: list[str] = []
        index = 0
        while index < len(args):
            token = args[index]
            if token == "--":  # noqa: S105 - the end of options, not a password
                return args
            if token in _CONFIG and index + 1 < len(args):
                config += args[index : index + 2]
                index += 2
                continue
            if token.startswith("--config="):
                config.append(token)
                index += 1
                continue
            if not token.startswith("-"):
                break
            before.append(token)
            index += 1
        if index >= len(args):  # no command: leave everything to the group
            return args
        name, rest = args[index], args[index + 1 :]
        command = self.get_command(ctx, name)
        verbose = [t for t in rest if t in _VERBOSE]
        rest = [t for t in rest if t not in _VERBOSE]
        takes_config = command is not None and any(
            p.name == "config" and p.param_type_name == "option" for p in command.params
        )
        if takes_config:
            return [*before, *verbose, name, *config, *rest]
        return [*before, *config, *verbose, name, *rest]
