"""LinkageSpec to and from plain JSON data, for match models saved as JSON."""

from __future__ import annotations

from pydantic import JsonValue

from canonical.dedupe.spec import (
    BlockingRule,
    Column,
    Comparison,
    ConflictRule,
    IdentityRule,
    Level,
    LevelKind,
    LinkageSpec,
    SpecError,
)

__all__ = ["spec_from_dict", "spec_to_dict"]


def spec_to_dict(spec: LinkageSpec) -> dict[str, JsonValue]:
    return {
        "kind": spec.kind,
        "columns": [[c.name, c.group] for c in spec.columns],
        "comparisons": [
            {
                "name": c.name,
                "null_columns": list(c.null_columns),
                "null_when": c.null_when,
                "depends_on": c.depends_on,
                "depends_levels": c.depends_levels,
                "levels": [
                    [
                        lv.label,
                        lv.kind.value,
                        list(lv.columns),
                        lv.threshold,
                        lv.tf_column
                        if isinstance(lv.tf_column, str | None)
                        else list(lv.tf_column),
                        list(lv.differ),
                    ]
                    for lv in c.levels
                ],
            }
            for c in spec.comparisons
        ],
        "blocking": [
            [r.name, list(r.columns), r.sort_column, list(r.alternatives)] for r in spec.blocking
        ],
        "conflicts": [_rule_json(c) for c in spec.conflicts],
        "review_rules": [_rule_json(c) for c in spec.review_rules],
        "conflict_weight": spec.conflict_weight,
        "identifiers": list(spec.identifiers),
        "identity_rules": [
            {"when": _rule_json(rule.when), "forgive": list(rule.forgive)}
            for rule in spec.identity_rules
        ],
    }


def spec_from_dict(data: dict[str, JsonValue]) -> LinkageSpec:
    try:
        return _spec_from_dict(data)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        if isinstance(exc, SpecError):
            raise
        raise SpecError(f"malformed linkage spec in model JSON: {exc!r}") from exc


def _spec_from_dict(data: dict[str, JsonValue]) -> LinkageSpec:
    def strings(value: JsonValue) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise TypeError(f"expected a list of strings, got {value!r}")
        return tuple(str(item) for item in value)

    def as_list(value: JsonValue) -> list[JsonValue]:
        if not isinstance(value, list):
            raise TypeError(f"expected a list, got {value!r}")
        return value

    def as_dict(value: JsonValue) -> dict[str, JsonValue]:
        if not isinstance(value, dict):
            raise TypeError(f"expected an object, got {value!r}")
        return value

    comparisons = []
    for raw in as_list(data["comparisons"]):
        item = as_dict(raw)
        levels = []
        for raw_level in as_list(item["levels"]):
            label, kind, columns, threshold, tf_column, *rest = as_list(raw_level)
            if not isinstance(threshold, int | float):
                raise TypeError(f"level threshold must be a number, got {threshold!r}")
            levels.append(
                Level(
                    str(label),
                    LevelKind(str(kind)),
                    strings(columns),
                    float(threshold),
                    _tf_column(tf_column),
                    strings(rest[0]) if rest else (),
                )
            )
        null_when = str(item.get("null_when", "any"))
        depends_on = item.get("depends_on")
        depends_levels = item.get("depends_levels", 1)
        if not isinstance(depends_levels, int):
            raise TypeError(f"depends_levels must be an integer, got {depends_levels!r}")
        comparisons.append(
            Comparison(
                name=str(item["name"]),
                levels=tuple(levels),
                null_columns=strings(item["null_columns"]),
                null_when="all" if null_when == "all" else "any",
                depends_on=None if depends_on is None else str(depends_on),
                depends_levels=depends_levels,
            )
        )
    blocking = []
    for raw_rule in as_list(data["blocking"]):
        name, columns, sort_column, *more = as_list(raw_rule)
        blocking.append(
            BlockingRule(
                str(name),
                strings(columns),
                None if sort_column is None else str(sort_column),
                strings(more[0]) if more else (),
            )
        )
    return LinkageSpec(
        kind=str(data["kind"]),
        columns=tuple(Column(*strings(raw)) for raw in as_list(data["columns"])),
        comparisons=tuple(comparisons),
        blocking=tuple(blocking),
        conflicts=tuple(_conflict(raw) for raw in as_list(data.get("conflicts", []))),
        review_rules=tuple(_conflict(raw) for raw in as_list(data.get("review_rules", []))),
        conflict_weight=_optional_float(data.get("conflict_weight")),
        identifiers=strings(data.get("identifiers", [])),
        identity_rules=tuple(
            IdentityRule(_conflict(rule["when"]), strings(rule["forgive"]))
            for rule in (as_dict(raw) for raw in as_list(data.get("identity_rules", [])))
        ),
    )


def _rule_json(rule: ConflictRule) -> JsonValue:
    """A conflict or review rule: a list of comparisons (ELSE levels), or an object with
    levels."""
    if not rule.levels:
        return [*rule.comparisons]
    return {"comparisons": list(rule.comparisons), "levels": [list(lv) for lv in rule.levels]}


def _conflict(raw: JsonValue) -> ConflictRule:
    """A conflict rule: a list of comparisons (ELSE levels), or an object with levels."""
    if isinstance(raw, list):
        return ConflictRule(tuple(str(item) for item in raw))
    if not isinstance(raw, dict):
        raise TypeError(f"a conflict rule is a list or an object, got {raw!r}")
    comparisons, levels = raw["comparisons"], raw.get("levels", [])
    if not isinstance(comparisons, list) or not isinstance(levels, list):
        raise TypeError(f"malformed conflict rule {raw!r}")
    return ConflictRule(
        tuple(str(item) for item in comparisons),
        tuple(
            tuple(str(label) for label in labels) if isinstance(labels, list) else ()
            for labels in levels
        ),
    )


def _tf_column(value: JsonValue) -> str | tuple[str, ...] | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    raise TypeError(f"tf_column must be a column name or a list of them, got {value!r}")


def _optional_float(value: JsonValue) -> float | None:
    if value is None:
        return None
    if not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    return float(value)
