"""Errors specific to Fxiaoke, on top of the shared HTTP error kinds."""

from __future__ import annotations

from collections.abc import Sequence

from connectors.http import FatalAPIError

__all__ = ["FxiaokeOperatorError", "FxiaokeResponseError", "UnknownPicklistLabelError"]


class FxiaokeOperatorError(FatalAPIError):
    """No employee matched the configured operator mobile."""


class FxiaokeResponseError(FatalAPIError):
    """A successful reply lacked what the call needs (a token, a record list)."""


class UnknownPicklistLabelError(ValueError):
    """A label that is none of the field's options; names the field and the valid labels."""

    def __init__(self, object_api_name: str, field: str, label: str, valid: Sequence[str]):
        options = ", ".join(repr(v) for v in valid) or "(none)"
        super().__init__(
            f"{object_api_name}.{field}: {label!r} is not an option; valid options: {options}"
        )
        self.object_api_name = object_api_name
        self.field = field
        self.label = label
        self.valid = list(valid)
