from __future__ import annotations

import pickle
import textwrap
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, field_validator

from mapping.yamldoc import (
    Problem,
    YamlDoc,
    YamlDocError,
    closest,
    did_you_mean,
    format_location,
    load_yaml,
    validate_doc,
)


def write(tmp_path: Path, text: str, name: str = "doc.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load_error(path: Path) -> YamlDocError:
    with pytest.raises(YamlDocError) as caught:
        load_yaml(path)
    return caught.value


class Colour(StrEnum):
    RED = "red"
    GREEN = "green"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Strict):
    source: str
    colour: Colour = Colour.RED


class Zoho(_Strict):
    type: Literal["zoho"]
    client_id: str


class Fxiaoke(_Strict):
    type: Literal["fxiaoke"]
    app_id: str


class Job(_Strict):
    name: str
    kind: Literal["normalise", "sync"]
    sources: list[Source] = []
    limit: int = 0

    @field_validator("name")
    @classmethod
    def _no_spaces(cls, value: str) -> str:
        if " " in value:
            raise ValueError("a name has no spaces")
        return value


class Doc(_Strict):
    jobs: list[Job]
    systems: dict[str, Annotated[Zoho | Fxiaoke, Field(discriminator="type")]] = {}


# --- load_yaml ---------------------------------------------------------------------------


def test_loads_plain_data_with_yaml_1_2_scalars(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        region: NO
        answer: yes
        flag: true
        time: 12:30
        date: 2024-01-01
        octal: 0o17
        decimal: 010
        hexa: 0x1F
        ratio: 1.5
        big: 1e3
        nothing: ~
        empty:
        text: "123"
        list: [1, two, 3.0]
        """,
    )
    doc = load_yaml(path)
    assert doc.data == {
        "region": "NO",
        "answer": "yes",
        "flag": True,
        "time": "12:30",
        "date": "2024-01-01",
        "octal": 15,
        "decimal": 10,
        "hexa": 31,
        "ratio": 1.5,
        "big": 1000.0,
        "nothing": None,
        "empty": None,
        "text": "123",
        "list": [1, "two", 3.0],
    }
    assert doc.path == path


def test_line_of_keys_items_and_nearest_parent(tmp_path: Path) -> None:
    doc = load_yaml(
        write(
            tmp_path,
            """
            # a comment
            jobs:
              - name: first
                sources:
                  - source: a.csv
                  - source: b.csv
                    colour: red
              - {name: second, kind: sync}
            """,
        )
    )
    assert doc.line_of(()) == 2
    assert doc.line_of(["jobs"]) == 2
    assert doc.line_of(["jobs", 0]) == 3
    assert doc.line_of(["jobs", 0, "name"]) == 3
    assert doc.line_of(["jobs", 0, "sources", 1]) == 6
    assert doc.line_of(["jobs", 0, "sources", 1, "colour"]) == 7
    assert doc.line_of(("jobs", 1, "kind")) == 8
    # Keys that do not exist fall back to the nearest existing parent.
    assert doc.line_of(["jobs", 1, "sources", 0, "source"]) == 8
    assert doc.line_of(["nothing", "here"]) == 2
    assert doc.problem(["jobs", 0, "sources", 1, "colour"], "bad") == Problem(
        7, "jobs[0].sources[1].colour", "bad"
    )


def test_duplicate_key_is_refused_naming_both_lines(tmp_path: Path) -> None:
    error = load_error(
        write(
            tmp_path,
            """
            jobs:
              - name: a
                kind: sync
                name: b
            """,
        )
    )
    assert error.problems == (
        Problem(4, "jobs[0].name", "duplicate key 'name' (first defined at line 2)"),
    )


def test_syntax_error_reports_its_line(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, "a: 1\nb: [1, 2\nc: 3\n"))
    (problem,) = error.problems
    assert problem.line in (2, 3)
    assert problem.message.startswith("YAML syntax error:")


def test_missing_file(tmp_path: Path) -> None:
    error = load_error(tmp_path / "absent.yaml")
    assert error.problems == (Problem(None, "", "the file does not exist"),)
    assert str(error).endswith("absent.yaml: the file does not exist")


def test_python_tags_are_refused_not_run(tmp_path: Path) -> None:
    error = load_error(
        write(
            tmp_path,
            """
            ok: 1
            boom: !!python/object/apply:os.system ["echo hacked"]
            """,
        )
    )
    assert len(error.problems) == 1
    assert error.problems[0].line == 2
    assert error.problems[0].location == "boom"
    assert "unsupported YAML tag !!python/object/apply:os.system" in error.problems[0].message


def test_merge_keys_and_anchors(tmp_path: Path) -> None:
    doc = load_yaml(
        write(
            tmp_path,
            """
            base: &base
              kind: sync
              limit: 5
            job:
              <<: *base
              limit: 7
              name: j
            """,
        )
    )
    assert isinstance(doc.data, dict)
    assert doc.data["job"] == {"kind": "sync", "limit": 7, "name": "j"}
    assert doc.line_of(["job", "limit"]) == 6  # the explicit key, not the merged one
    assert doc.line_of(["job", "kind"]) == 2  # where the merged value was written


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, "a: &loop\n  - *loop\n"))
    assert "refers to the node that contains it" in error.problems[0].message


def test_utf8_bom_and_chinese_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeff名称: 客户\n".encode())
    assert load_yaml(path).data == {"名称": "客户"}


def test_invalid_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("a: 1\nb: 客户\n".encode("gbk"))
    assert load_error(path).problems == (Problem(2, "", "the file is not valid UTF-8"),)


def test_empty_file_is_none_and_validation_says_empty(tmp_path: Path) -> None:
    doc = load_yaml(write(tmp_path, ""))
    assert doc.data is None
    with pytest.raises(YamlDocError) as caught:
        validate_doc(doc, Doc)
    assert caught.value.problems == (Problem(None, "", "the document is empty"),)


# --- validate_doc ------------------------------------------------------------------------


def validation_error(tmp_path: Path, text: str) -> YamlDocError:
    doc = load_yaml(write(tmp_path, text))
    with pytest.raises(YamlDocError) as caught:
        validate_doc(doc, Doc)
    return caught.value


def test_valid_document_becomes_the_model(tmp_path: Path) -> None:
    doc = load_yaml(
        write(
            tmp_path,
            """
            jobs:
              - name: a
                kind: sync
                sources: [{source: x.csv, colour: green}]
            systems:
              z: {type: zoho, client_id: abc}
            """,
        )
    )
    model = validate_doc(doc, Doc)
    assert model.jobs[0].sources[0].colour is Colour.GREEN
    assert isinstance(model.systems["z"], Zoho)


def test_unknown_key_names_closest_field_with_line(tmp_path: Path) -> None:
    error = validation_error(
        tmp_path,
        """
        jobs:
          - name: a
            kind: sync
            sources:
              - sorce: x.csv
        """,
    )
    assert (
        Problem(5, "jobs[0].sources[0].sorce", "unknown field 'sorce'; did you mean 'source'?")
        in error.problems
    )
    # The missing 'source' is reported too, at the item's line.
    assert (
        Problem(5, "jobs[0].sources[0].source", "required field 'source' is missing")
        in error.problems
    )


def test_invalid_literal_and_enum_suggest_closest_value(tmp_path: Path) -> None:
    error = validation_error(
        tmp_path,
        """
        jobs:
          - name: a
            kind: normalize
            sources:
              - {source: x.csv, colour: gren}
          - name: b
            kind: zzz
        """,
    )
    assert error.problems == (
        Problem(3, "jobs[0].kind", "'normalize' is not a valid kind; did you mean 'normalise'?"),
        Problem(
            5, "jobs[0].sources[0].colour", "'gren' is not a valid colour; did you mean 'green'?"
        ),
        Problem(7, "jobs[1].kind", "'zzz' is not a valid kind; expected 'normalise' or 'sync'"),
    )


def test_tagged_union_locations_are_yaml_paths(tmp_path: Path) -> None:
    error = validation_error(
        tmp_path,
        """
        jobs: []
        systems:
          crm:
            type: zoho
            client_ide: abc
          fx:
            type: fxiaok
          other:
            app_id: 1
        """,
    )
    assert error.problems == (
        Problem(3, "systems.crm.client_id", "required field 'client_id' is missing"),
        Problem(
            5, "systems.crm.client_ide", "unknown field 'client_ide'; did you mean 'client_id'?"
        ),
        Problem(7, "systems.fx.type", "'fxiaok' is not a valid type; did you mean 'fxiaoke'?"),
        Problem(8, "systems.other.type", "required field 'type' is missing"),
    )


def test_every_problem_is_reported_and_formatted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        """
        jobs:
          - name: has space
            kind: sync
            limit: many
        extra: 1
        """,
        name="flows.yaml",
    )
    doc = load_yaml(Path("flows.yaml"))
    with pytest.raises(YamlDocError) as caught:
        validate_doc(doc, Doc)
    assert str(caught.value).splitlines() == [
        "flows.yaml:2: jobs[0].name: a name has no spaces",
        "flows.yaml:4: jobs[0].limit: Input should be a valid integer, unable to parse string as "
        "an integer",
        "flows.yaml:5: extra: unknown field 'extra'",
    ]
    # The pydantic error is not chained: its text repeats input values.
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_error_names_file_relative_to_cwd_or_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    path = write(tmp_path, "a: [\n", name="sub/bad.yaml")
    monkeypatch.chdir(tmp_path)
    assert str(load_error(path)).startswith("sub/bad.yaml:")
    monkeypatch.chdir(tmp_path / "sub")
    other = tmp_path.parent / "elsewhere.yaml"
    error = YamlDocError(other, [Problem(3, "a", "m")])
    assert str(error) == f"{other}:3: a: m"


def test_validation_context_reaches_validators(tmp_path: Path) -> None:
    class WithContext(_Strict):
        name: str

        @field_validator("name")
        @classmethod
        def _suffix(cls, value: str, info: object) -> str:
            context = getattr(info, "context", None) or {}
            return value + str(context.get("suffix", ""))

    doc = load_yaml(write(tmp_path, "name: a\n"))
    assert validate_doc(doc, WithContext, context={"suffix": "!"}).name == "a!"


# --- helpers -----------------------------------------------------------------------------


def test_closest_and_did_you_mean() -> None:
    choices = ["normalise", "sync", "dedupe"]
    assert closest("normalize", choices) == "normalise"
    assert closest("SYNC", choices) == "sync"
    assert closest("xyz", choices) is None
    assert did_you_mean("dedup", choices) == "; did you mean 'dedupe'?"
    assert did_you_mean("xyz", choices) == ""


def test_format_location() -> None:
    assert format_location(("jobs", 0, "sources", 1, "path")) == "jobs[0].sources[1].path"
    assert format_location(()) == ""
    assert format_location(("fields", "Last Name")) == "fields['Last Name']"
    assert format_location(("字段", "名称")) == "字段.名称"


def test_error_survives_pickling() -> None:
    # Prefect and multiprocessing pickle exceptions that cross process boundaries.
    error = YamlDocError(Path("m.yaml"), [Problem(2, "a", "bad")])
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.problems, str(copy)) == (error.path, error.problems, str(error))


def test_yamldoc_without_lines_has_no_line() -> None:
    assert YamlDoc(Path("x.yaml"), {"a": 1}).line_of(["a"]) is None


def test_no_product_module_loads_yaml_unsafely() -> None:
    # Every YAML crmbridge reads (flows.yaml, mapping files) goes through load_yaml's safe
    # composer; a yaml.load with a full or unsafe loader anywhere would build objects.
    root = Path(__file__).resolve().parents[2]
    unsafe = ("yaml.load(", "yaml.load_all(", "unsafe_load", "full_load", "UnsafeLoader",
              "FullLoader", "Loader=yaml.Loader")  # fmt: skip
    found = [
        f"{path.relative_to(root)}: {needle}"
        for package in ("canonical", "connectors", "mapping", "flows", "bench")
        for path in (root / package).rglob("*.py")
        for needle in unsafe
        if needle in path.read_text(encoding="utf-8")
    ]
    assert found == []
