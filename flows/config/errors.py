"""Errors raised while loading flows.yaml or resolving what it refers to."""

from __future__ import annotations

from mapping.yamldoc import YamlDocError

__all__ = ["ConfigError", "UnknownJobError"]


class ConfigError(YamlDocError):
    """flows.yaml cannot be used; ``str()`` lists one ``file:line: path: message`` a line."""


class UnknownJobError(ConfigError, KeyError):
    """``FlowsConfig.job()`` was asked for a job that flows.yaml does not define."""
