"""The shape of the code: imports point down the layers, no import circles, public surfaces pinned.

Read from the source with ``ast`` (nothing is imported): every import counts, including the
ones inside functions and under ``TYPE_CHECKING``, because each is an arrow a reader follows.

The layers (docs/architecture.md):

* top level: ``canonical`` and ``connectors`` import only themselves, ``mapping`` imports
  ``canonical``, ``flows`` imports all of them;
* inside ``flows``: the command line, then orchestration (Prefect), then running a job, then the
  job kinds (``flows.jobs``), then the engines, then the services they use, then the
  foundation. A module may import its own floor and the floors below it; the circle test
  keeps the imports within a floor (an engine using another, say) a tree.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("canonical", "connectors", "mapping", "flows")

TOP_LEVEL_IMPORTS: dict[str, frozenset[str]] = {
    "canonical": frozenset({"canonical"}),
    "connectors": frozenset({"connectors"}),
    "mapping": frozenset({"mapping", "canonical"}),
    "flows": frozenset(PACKAGES),
}

# The floors of flows/, top down: (floor, areas). An area is flows/<area>/ or flows/<area>.py.
FLOWS_FLOORS: tuple[tuple[str, frozenset[str]], ...] = (
    ("command line", frozenset({"cli"})),
    ("orchestration", frozenset({"prefect_flows", "prefect_run", "orchestration", "runlog"})),
    ("running a job", frozenset({"execution", "runner"})),
    ("job kinds", frozenset({"jobs"})),
    (
        "engines",
        frozenset({"sync", "reconcile", "dedupe", "tier", "assign", "feedback", "writeback"})
        | {"privacy"},
    ),
    (
        "services",
        frozenset(
            {"systems", "tokens", "report", "context", "quality_html", "alerts", "backup"}
            | {"rejects"}
        ),
    ),
    (
        "foundation",
        frozenset(
            {"store", "config", "files", "parallel", "quality", "html_page", "interrupt"}
            | {"csv_source", "csv_chunks", "exit_memory"}
        ),
    ),
)

# The floors inside flows/sync/, top down, the same way: the engine drives writing, writing
# stands on what was gathered, gathering on the routes, and everything on planning (pure).
SYNC_FLOORS: tuple[frozenset[str], ...] = (
    frozenset({"engine", "job", "undo"}),
    frozenset({"write"}),
    frozenset({"gather"}),
    frozenset({"routes"}),
    frozenset({"planning"}),
)

# Known exceptions, each with why it is still here. The tests fail on any arrow or circle not
# listed, and on a listed one that is gone (delete its line then).
ALLOWED_UPWARD: dict[tuple[str, str], str] = {}
ALLOWED_CIRCLES: dict[frozenset[str], str] = {}


def _source_files() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if "migrations" in parts:  # alembic scripts, loaded by alembic alone
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


@cache
def _modules() -> dict[str, Path]:
    return dict(_source_files())


def _resolve(name: str) -> str | None:
    """The module of ours that ``name`` names (the innermost one), or None."""
    modules = _modules()
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> set[str]:
    modules = _modules()
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(t for a in node.names if (t := _resolve(a.name)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = (
                    module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                )
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                named = f"{base}.{alias.name}"
                target = named if named in modules else _resolve(base)
                if target:
                    found.add(target)
    found.discard(module)
    return found


@cache
def _graph() -> dict[str, frozenset[str]]:
    return {module: frozenset(_imports(module, path)) for module, path in _modules().items()}


def _floor(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "flows" or len(parts) == 1:
        return None
    for number, (_, areas) in enumerate(FLOWS_FLOORS):
        if parts[1] in areas:
            return number
    raise AssertionError(f"{module}: flows/{parts[1]} is on no floor; add it to FLOWS_FLOORS")


def _upward(module: str, target: str) -> bool:
    top, target_top = module.split(".")[0], target.split(".")[0]
    if target_top not in TOP_LEVEL_IMPORTS[top]:
        return True
    here, there = _floor(module), _floor(target)
    if here is None or there is None:
        return False
    if module.split(".")[1] != target.split(".")[1]:
        return there < here
    if module.startswith("flows.sync.") and target.startswith("flows.sync."):
        inner, inner_target = _sync_floor(module), _sync_floor(target)
        return inner is not None and inner_target is not None and inner_target < inner
    return False


def _sync_floor(module: str) -> int | None:
    name = module.split(".")[2]
    for number, names in enumerate(SYNC_FLOORS):
        if name in names:
            return number
    raise AssertionError(f"{module}: flows/sync/{name} is on no floor; add it to SYNC_FLOORS")


def _circles() -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            advanced = False
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_no_import_runs_up_a_layer() -> None:
    upward = {
        (module, target)
        for module, targets in _graph().items()
        for target in targets
        if _upward(module, target)
    }
    new = sorted(upward - ALLOWED_UPWARD.keys())
    assert not new, "imports that run up a layer:\n" + "\n".join(f"{a} -> {b}" for a, b in new)
    gone = sorted(ALLOWED_UPWARD.keys() - upward)
    assert not gone, f"allowed upward imports that are gone; delete them from the list: {gone}"


def test_no_import_circle() -> None:
    circles = set(_circles())
    new = [sorted(c) for c in circles - ALLOWED_CIRCLES.keys()]
    assert not new, f"import circles: {new}"
    gone = [sorted(c) for c in ALLOWED_CIRCLES.keys() - circles]
    assert not gone, f"allowed circles that are gone; delete them from the list: {gone}"


def test_every_flows_area_is_on_a_floor() -> None:
    for module in _modules():
        _floor(module)
        if module.startswith("flows.sync."):
            _sync_floor(module)


# A module a reader holds in their head at once. The sandboxes (fakes of each vendor's API,
# mirroring its surface rather than our layers) are exempt.
MAX_MODULE_LINES = 300


def test_every_module_is_small_enough_to_read_at_once() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for _, path in _source_files()
        if "sandbox" not in path.relative_to(ROOT).parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"modules over {MAX_MODULE_LINES} lines: split them along a seam"


def test_the_checker_sees_an_upward_import_and_a_circle() -> None:
    assert _upward("canonical.models", "flows.store")
    assert _upward("flows.sync.engine", "flows.jobs.sync")
    assert _upward("flows.store.runs", "flows.sync.planning.plan")
    assert not _upward("flows.tier.job", "flows.sync.job")  # engine beside engine
    assert not _upward("flows.cli.sync", "flows.sync.engine")
    assert _upward("flows.sync.planning.planner", "flows.sync.gather.reading")
    assert not _upward("flows.sync.write.applier", "flows.sync.gather.pairs")
    assert "flows.cli.crmbridge" in _graph()["flows.cli"]


# -- public surfaces ---------------------------------------------------------------------------


def _declared_all(path: Path) -> list[str] | None:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and target.id == "__all__":
            assert node.value is not None
            return sorted(ast.literal_eval(node.value))
    return None


PUBLIC: dict[str, list[str]] = json.loads(
    (Path(__file__).with_name("public_surfaces.json")).read_text(encoding="utf-8")
)
"""Each package's ``__all__``, pinned: changing one is changing a public surface on purpose."""


def _packages() -> list[str]:
    return sorted(m for m, p in _modules().items() if p.name == "__init__.py")


def test_every_package_declares_its_public_names() -> None:
    missing = [package for package in _packages() if _declared_all(_modules()[package]) is None]
    assert not missing, f"packages without __all__: {missing}"


@pytest.mark.parametrize("package", sorted(set(PUBLIC)))
def test_public_surface_is_pinned(package: str) -> None:
    """A change to a package's __all__ is a change of its public surface: make it here too."""
    assert _declared_all(_modules()[package]) == sorted(PUBLIC[package])


def test_every_package_is_pinned() -> None:
    assert sorted(PUBLIC) == _packages()
