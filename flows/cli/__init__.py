"""The ``crmbridge`` command line: the only layer that owns the terminal.

``crmbridge`` holds the root Typer app; each other module adds one group of commands
(``run_job``, ``project``, ``history``, ``sync``, ``dedupe``, ``reconcile``, ``state``,
``sandbox``, ``privacy``, ``customers``) or a piece the commands share (``common``, ``args``,
``plan_view``). Nothing
below the command line imports this package.
"""

from flows.cli.crmbridge import app, main

__all__ = ["app", "main"]
