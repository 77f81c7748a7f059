"""Reading reply objects into models: a reply that does not fit is an error of the call.

A pydantic ``ValidationError`` escaping from a connector would reach the user as a traceback
quoting the reply; ``parse_model`` turns it into the connector's own typed error, naming the
fields that did not fit and never their values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel, ValidationError

__all__ = ["model_problems", "parse_model"]

M = TypeVar("M", bound=BaseModel)


def model_problems(error: ValidationError, limit: int = 3) -> str:
    """``field: message`` for the first ``limit`` problems, without the input values."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
        for e in error.errors(include_url=False, include_input=False)[:limit]
    )


def parse_model(model: type[M], data: object, error: Callable[[str], Exception]) -> M:
    """``data`` as ``model``; else raise ``error(message)``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(f"the reply holds a {model.__name__} that cannot be read "
                    f"({model_problems(exc)})") from None  # fmt: skip
