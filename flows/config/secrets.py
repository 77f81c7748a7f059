"""References to secrets: flows.yaml names where a secret lives, never the secret itself.

A secret field accepts only ``${ENV_VAR}`` or ``prefect-secret:<block-name>``; a literal value
is refused at load time. The reference is resolved only when a connector needs the value, and
the value is handed out as a ``pydantic.SecretStr`` so it never shows in a repr or a log.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, SecretStr, ValidationInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from flows.config.errors import ConfigError
from mapping.yamldoc import Problem

__all__ = ["SecretRef"]

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ENV_REF_WITH_DEFAULT = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*):-[^}]*\}")
_PREFECT_PREFIX = "prefect-secret:"
_BLOCK_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


class SecretRef:
    """Where a secret lives: an environment variable or a Prefect Secret block."""

    __slots__ = ("_line", "_location", "_path", "kind", "name")

    def __init__(self, kind: Literal["env", "prefect"], name: str) -> None:
        self.kind = kind
        self.name = name
        self._path: Path | None = None
        self._line: int | None = None
        self._location = ""

    @classmethod
    def parse(cls, text: str, *, suggestion: str = "SECRET") -> SecretRef:
        """Parse a reference; raise ValueError (naming ``${suggestion}``) for anything else."""
        text = text.strip()
        if match := _ENV_REF.fullmatch(text):
            return cls("env", match.group(1))
        if text.startswith(_PREFECT_PREFIX):
            name = text.removeprefix(_PREFECT_PREFIX).strip()
            if not _BLOCK_NAME.fullmatch(name):
                raise ValueError(
                    f"{name!r} is not a Prefect block name: use a-z, 0-9 and -, "
                    "as in prefect-secret:zoho-client-secret"
                )
            return cls("prefect", name)
        if match := _ENV_REF_WITH_DEFAULT.fullmatch(text):
            raise ValueError(
                f"a secret cannot have a default; write ${{{match.group(1)}}} and set it"
            )
        if "${" in text:
            raise ValueError(
                "a secret must be exactly one reference: ${ENV_VAR} or prefect-secret:<block-name>"
            )
        raise ValueError(
            "a literal secret is not allowed here; put it in an environment variable "
            f"and write ${{{suggestion}}}"
        )

    @property
    def reference(self) -> str:
        """The reference as written in flows.yaml, e.g. ``${ZOHO_CLIENT_SECRET}``."""
        return f"${{{self.name}}}" if self.kind == "env" else f"{_PREFECT_PREFIX}{self.name}"

    def attach(self, path: Path, line: int | None, location: str) -> None:
        """Remember where the reference was written, for error messages."""
        self._path, self._line, self._location = path, line, location

    def resolve(self, env: Mapping[str, str] | None = None) -> SecretStr:
        """The secret's value; raise ConfigError naming the variable or block and the field."""
        if self.kind == "env":
            value = (os.environ if env is None else env).get(self.name)
            if value is None:
                raise self._error(f"environment variable {self.name} is not set")
            if not value:
                raise self._error(f"environment variable {self.name} is empty")
            return SecretStr(value)
        return SecretStr(self._load_prefect_secret())

    def _load_prefect_secret(self) -> str:
        # Imported here: importing Prefect takes seconds and most commands never need it.
        try:
            from prefect.blocks.system import Secret
            from prefect.settings import PREFECT_API_URL
        except ImportError as exc:
            raise self._error(f"cannot import Prefect to read {self.reference}: {exc}") from exc
        # Without a server Prefect would start a temporary one, whose blocks are empty: a
        # slow way to a confusing "not found". (A Prefect profile may set the URL too.)
        if not (os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value()):
            raise self._error(
                f"{self.reference} is read from a Prefect server, and PREFECT_API_URL is not "
                "set: export PREFECT_API_URL=http://<host>:4200/api (the server that holds "
                f"the Secret block {self.name!r}), or use ${{ENV_VAR}} instead"
            )
        try:
            # _sync=True: load synchronously even when called from inside an async flow
            # (Block.load is dispatched on the calling context; its stub omits _sync).
            load: Any = Secret.load
            block: Any = load(self.name, _sync=True)
            value: object = block.value.get_secret_value()
        except Exception as exc:
            raise self._error(f"cannot load the Prefect Secret block {self.name!r}: {exc}") from exc
        if isinstance(value, str):
            return value
        return json.dumps(value)

    def _error(self, message: str) -> ConfigError:
        return ConfigError(
            self._path or Path("flows.yaml"), [Problem(self._line, self._location, message)]
        )

    def __repr__(self) -> str:
        return f"SecretRef({self.reference!r})"

    def __str__(self) -> str:
        return self.reference

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SecretRef):
            return NotImplemented
        return (self.kind, self.name) == (other.kind, other.name)

    def __hash__(self) -> int:
        return hash((self.kind, self.name))

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: object, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.with_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="always"),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": r"^(\$\{[A-Za-z_][A-Za-z0-9_]*\}|prefect-secret:[a-z0-9][a-z0-9-]*)$",
            "description": "${ENV_VAR} or prefect-secret:<block-name>; never a literal secret",
        }

    @classmethod
    def _validate(cls, value: object, info: ValidationInfo) -> SecretRef:
        if isinstance(value, SecretRef):
            return value
        # ZOHO_CLIENT_SECRET for field client_secret of a system of type zoho.
        system_type = info.data.get("type") if isinstance(info.data, dict) else None
        parts = [p for p in (system_type, info.field_name) if isinstance(p, str)]
        suggestion = "_".join(parts).upper() or "SECRET"
        if value is None or value == "":
            raise ValueError(
                f"a secret reference is required: ${{{suggestion}}} or prefect-secret:<block-name>"
            )
        # A number or a list here is a literal secret too; its value is not repeated.
        return cls.parse(value if isinstance(value, str) else "", suggestion=suggestion)
