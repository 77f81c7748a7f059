"""The base models every flows.yaml section is built from.

One definition, so that every section refuses unknown keys (a typo is an error with a
"did you mean", not a silently ignored option) and is frozen once loaded.
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, ModelWrapValidatorHandler, PrivateAttr, model_validator

__all__ = ["FrozenModel", "KeepsText"]


class FrozenModel(BaseModel):
    """A flows.yaml section: unknown keys are refused, values never change after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class KeepsText(FrozenModel):
    """A model that remembers the strings it was given, to quote them in messages."""

    _texts: dict[str, str] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_texts(cls, data: object, handler: ModelWrapValidatorHandler[Self]) -> Self:
        model = handler(data)
        if isinstance(data, dict):
            model._texts = {
                k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)
            }
        return model

    def text_of(self, field: str) -> str:
        """The field as written in flows.yaml (before ``${VAR}`` and path resolution)."""
        return self._texts.get(field) or str(getattr(self, field))
