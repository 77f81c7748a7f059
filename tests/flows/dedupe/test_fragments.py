"""Output files written cluster by cluster: a cluster whose key the run before's spans hold
is copied from the run before's file, never rendered; anything doubtful is rendered."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from canonical.dedupe.types import ClusterDecision
from flows.dedupe.fragments import Piece, Reuse, cluster_key, each_key, write_pieces


def _key(n: int) -> bytes:
    return n.to_bytes(16, "little")


class _Texts:
    """Cluster texts by key; counts the renders."""

    def __init__(self, texts: dict[int, str]) -> None:
        self.texts = texts
        self.rendered: list[int] = []

    def render(self, n: int) -> Callable[[], str]:
        def made() -> str:
            self.rendered.append(n)
            return self.texts[n]

        return made

    def pieces(self) -> Iterator[Piece]:
        yield "head\n"
        for n in self.texts:
            yield _key(n), self.render(n)
            yield ";\n"
        yield "end\n"

    def expected(self) -> str:
        return "head\n" + "".join(f"{text};\n" for text in self.texts.values()) + "end\n"


def _write(path: Path, texts: _Texts, validity: str = "v1") -> Reuse:
    reuse = Reuse(path.parent / ".cache", validity)
    write_pieces(path, texts.pieces(), reuse)
    return reuse


def test_known_clusters_are_copied_and_the_file_is_what_rendering_writes(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    first = _Texts({1: "alpha", 2: "βeta", 3: "gamma"})
    _write(path, first)
    assert path.read_text(encoding="utf-8") == first.expected()
    assert first.rendered == [1, 2, 3]

    # Cluster 2 changed (a new key), 4 is new, 1 left; the order is the new run's.
    second = _Texts({3: "gamma", 5: "beta, changed", 4: "delta"})
    reuse = _write(path, second)
    assert path.read_text(encoding="utf-8") == second.expected()
    assert second.rendered == [5, 4]
    assert (reuse.copied, reuse.rendered) == (1, 2)

    third = _Texts({4: "delta", 3: "gamma", 5: "beta, changed"})
    reuse = _write(path, third)
    assert path.read_text(encoding="utf-8") == third.expected()
    assert (third.rendered, reuse.copied) == ([], 3)


def test_a_cluster_without_a_key_is_always_rendered(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    rendered: list[str] = []

    def render() -> str:
        rendered.append("x")
        return "x"

    def pieces() -> Iterator[Piece]:
        yield None, render

    for _ in range(2):
        write_pieces(path, pieces(), Reuse(tmp_path / ".cache", "v1"))
    assert rendered == ["x", "x"]
    assert path.read_text() == "x"


def _damage_spans(path: Path) -> None:
    spans = path.parent / ".cache" / f"{path.name}.spans"
    spans.write_bytes(spans.read_bytes()[:-5])


def _touch(path: Path) -> None:
    found = path.stat()
    os.utime(path, ns=(found.st_atime_ns, found.st_mtime_ns + 1_000_000))


def _share(path: Path) -> None:
    (path.parent / ".cache" / f"{path.name}.spans").chmod(0o666)


@pytest.mark.parametrize(
    ("change", "validity", "logged"),
    [
        (_touch, "v1", "changed since"),  # the file edited (here: only its time)
        (lambda path: path.write_text("edited by hand"), "v1", "changed since"),
        (lambda path: None, "v2", "other code, rules or sources"),
        (_damage_spans, "v1", "unreadable"),
        (_share, "v1", "writable by another user"),
        (lambda path: (path.parent / ".cache" / f"{path.name}.spans").unlink(), "v1", ""),
    ],
)
def test_anything_doubtful_renders_every_cluster_again(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    change: Callable[[Path], None],
    validity: str,
    logged: str,
) -> None:
    path = tmp_path / "out.csv"
    _write(path, _Texts({1: "alpha", 2: "beta"}))
    change(path)
    again = _Texts({1: "alpha", 2: "beta"})
    with caplog.at_level(logging.INFO, logger="flows.dedupe.fragments"):
        reuse = _write(path, again, validity)
    assert again.rendered == [1, 2]
    assert (reuse.copied, reuse.rendered) == (0, 2)
    assert path.read_text() == again.expected()
    assert logged in caplog.text
    # ... and the spans written then serve the run after it.
    after = _Texts({1: "alpha", 2: "beta"})
    assert _write(path, after, validity).copied == 2


def test_spans_files_are_private_and_hold_no_text(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    _write(path, _Texts({1: "张伟 13800138000", 2: "beta"}))
    spans = tmp_path / ".cache" / "out.csv.spans"
    assert spans.stat().st_mode & 0o077 == 0
    assert (tmp_path / ".cache").stat().st_mode & 0o077 == 0
    assert "张伟".encode() not in spans.read_bytes()
    assert b"13800138000" not in spans.read_bytes()


def test_a_file_not_written_with_reuse_writes_no_spans(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_pieces(path, _Texts({1: "a"}).pieces(), None)
    assert path.read_text() == "head\na;\nend\n"
    assert not (tmp_path / ".cache").exists()


def test_a_cluster_key_covers_entity_decision_evidence_and_rows() -> None:
    auto, review = ClusterDecision.AUTO, ClusterDecision.REVIEW
    rows, other_rows = _key(1), _key(2)
    base = cluster_key("e1", auto, "{}", rows)
    assert base is not None and cluster_key("e1", auto, "{}", rows) == base
    variants = [
        cluster_key("e1", auto, "{}", other_rows),
        cluster_key("e1", review, "{}", rows),
        cluster_key("e2", auto, "{}", rows),
        cluster_key("e1", auto, '{"min":0.9}', rows),
    ]
    assert len({base, *variants}) == 5
    assert cluster_key("e1", auto, "{}", None) is None  # a member not read from a file


def test_keys_must_be_one_per_cluster() -> None:
    assert each_key(None, [1, 2]) == [None, None]
    with pytest.raises(ValueError, match="1 cluster keys for 2 clusters"):
        each_key([None], [1, 2])
