"""Fxiaoke (纷享销客 / ShareCRM) open API.

`connectors.fxiaoke.sandbox` is a stand-alone local HTTP server that behaves like the Fxiaoke
gateway, for tests and demos. The client itself lives beside it and talks to either.
"""

__all__: list[str] = []
