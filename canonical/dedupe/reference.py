"""Reference m probabilities for inputs too small for EM to learn from.

EM learns m (how often true duplicates agree on each comparison level) from the structure of
the input's candidate pairs. On a few dozen records there is too little structure: EM can
decide that a shared job title is stronger evidence than a shared mobile. m describes how
duplicates differ (typos, romanised names, missing fields), which depends on how CRMs are
filled in rather than on who is in them, so an m learned by EM on a large labelled-by-design
generated set transfers; u, the prior and term frequencies describe the input's population
and are still computed from the input itself.

The files ``reference_<kind>_m.json`` next to this module are data written by
``python -m bench.dedupe.reference_model``; each names its comparisons and levels, so a file
that no longer fits its preset's spec is refused (EM is used instead) rather than misread.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from canonical.dedupe.model import Floats
from canonical.dedupe.spec import LinkageSpec

__all__ = [
    "Reference",
    "ReferenceModelError",
    "reference_m",
    "reference_m_json",
    "reference_path",
]

logger = logging.getLogger(__name__)

_FORMAT = 1
_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Reference:
    """m per comparison and level, and the u the reference population had: a floor for the
    u of a small input, which cannot show that a value is rarer than in a large population
    (a job title shared by no two of 16 records is not as rare as an e-mail address)."""

    m: list[Floats]
    u_floor: list[Floats]


class ReferenceModelError(ValueError):
    """A reference m file that does not fit its spec; the message names the file and field."""


def reference_path(kind: str) -> Path:
    """Where the reference m of preset ``kind`` lives (it may not exist)."""
    return _HERE / f"reference_{kind}_m.json"


def reference_m_json(spec: LinkageSpec, m: list[Floats], u: list[Floats], source: str) -> str:
    """The JSON text of a reference m for ``spec`` (written by the bench script)."""
    data = {
        "format": _FORMAT,
        "kind": spec.kind,
        "source": source,
        "comparisons": [
            {
                "name": comparison.name,
                "levels": [level.label for level in comparison.levels],
                "m": [float(f"{float(x):.6g}") for x in m_row],
                "u": [float(f"{float(x):.6g}") for x in u_row],
            }
            for comparison, m_row, u_row in zip(spec.comparisons, m, u, strict=True)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def reference_m(spec: LinkageSpec, path: Path | None = None) -> Reference | None:
    """m (and the u floor) per comparison and level of ``spec`` from its reference file, or
    None when the preset has none. Raises ReferenceModelError when the file does not fit."""
    path = path or reference_path(spec.kind)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ReferenceModelError(
            f"{path}: not JSON ({exc}); rewrite it with `python -m bench.dedupe.reference_model`"
        ) from exc
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise ReferenceModelError(f"{path}: not a reference m file of format {_FORMAT}")
    if data.get("kind") != spec.kind:
        raise ReferenceModelError(f"{path}: kind {data.get('kind')!r}, expected {spec.kind!r}")
    entries = data.get("comparisons")
    if not isinstance(entries, list) or len(entries) != len(spec.comparisons):
        raise ReferenceModelError(
            f"{path}: comparisons do not match the {spec.kind!r} spec; rewrite it with "
            "`python -m bench.dedupe.reference_model`"
        )
    ms: list[Floats] = []
    us: list[Floats] = []
    for comparison, entry in zip(spec.comparisons, entries, strict=True):
        labels = [level.label for level in comparison.levels]
        if (
            not isinstance(entry, dict)
            or entry.get("name") != comparison.name
            or entry.get("levels") != labels
        ):
            raise ReferenceModelError(
                f"{path}: comparison {comparison.name!r} with levels {labels} does not match "
                "the file; rewrite it with `python -m bench.dedupe.reference_model`"
            )
        for key, target in (("m", ms), ("u", us)):
            shares = np.asarray(entry.get(key), dtype=np.float64)
            if shares.shape != (len(labels),) or not np.all(shares > 0):
                raise ReferenceModelError(
                    f"{path}: {key} of {comparison.name!r} must be {len(labels)} positive shares"
                )
            target.append(np.asarray(shares / shares.sum(), dtype=np.float64))
    return Reference(m=ms, u_floor=us)
