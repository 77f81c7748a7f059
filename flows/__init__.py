"""The application: flows.yaml, the state store, the engines, the jobs and the command line.

The layers, top down, are in docs/architecture.md; tests/test_architecture.py holds them.
"""

__all__: list[str] = []
