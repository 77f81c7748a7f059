from __future__ import annotations

import subprocess
import sys
import textwrap
import types
from pathlib import Path
from typing import ClassVar

import pytest

from flows.config import (
    ConfigError,
    FlowsConfig,
    JobKind,
    SecretRef,
    UnknownJobError,
    ZohoSystem,
    load_config,
    validate_cron,
)
from mapping.yamldoc import Problem, YamlDocError

ENV = {
    "ZOHO_CLIENT_ID": "1000.CLIENTID",
    "ZOHO_CLIENT_SECRET": "zoho-secret-value-1",
    "ZOHO_REFRESH_TOKEN": "zoho-refresh-value-2",
    "FXIAOKE_APP_SECRET": "fx-secret-value-3",
}

GOOD = """
version: 1
defaults: {phone_region: CN, timezone: Asia/Shanghai}
systems:
  zoho_cn:
    type: zoho
    data_centre: CN
    client_id: "${ZOHO_CLIENT_ID}"
    client_secret: "${ZOHO_CLIENT_SECRET}"
    refresh_token: "${ZOHO_REFRESH_TOKEN}"
    daily_credit_budget: 20000
  fxk:
    type: fxiaoke
    app_id: FSAID_131abcd
    app_secret: "${FXIAOKE_APP_SECRET}"
    permanent_code: prefect-secret:fxiaoke-permanent-code
    grant: corp_access_token
jobs:
  - name: sample
    kind: normalise
    description: "Normalise the bundled sample"
    schedule: "0 2 * * MON-FRI"
    sources:
      - system: csv
        object: contacts
        path: flows/samples/customers_en.csv
        mapping: mapping/files/csv_contacts.yaml
        encoding: gb18030
        delimiter: ";"
        id_column: id
    targets:
      - {system: csv, object: contacts, path: .crmbridge/out/contacts.csv, bom: true}
    options: {lowercase_email_local: false, dedupe_exact: true}
  - name: zoho-sync
    kind: sync
    timezone: Europe/Berlin
    sources:
      - {system: zoho_cn, object: Contacts, mapping: mapping/files/zoho_contacts.yaml}
    targets:
      - {system: fxk, object: ContactObj}
    rejects: {path: /var/tmp/rejects.csv}
    options: {phone_region: us}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with the mapping files GOOD names."""
    (tmp_path / "mapping" / "files").mkdir(parents=True)
    for name in ("csv_contacts.yaml", "zoho_contacts.yaml"):
        (tmp_path / "mapping" / "files" / name).write_text("fields: []\n", encoding="utf-8")
    return tmp_path


def write(folder: Path, text: str) -> Path:
    path = folder / "flows.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def edit(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of ``text`` containing ``needle``."""
    lines = textwrap.dedent(text).lstrip("\n").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def config_error(folder: Path, text: str, env: dict[str, str] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(write(folder, text), env=ENV if env is None else env)
    return caught.value


def only_problem(error: ConfigError) -> Problem:
    assert len(error.problems) == 1, str(error)
    return error.problems[0]


def test_good_config_loads(project: Path) -> None:
    config = load_config(write(project, GOOD), env=ENV)
    assert isinstance(config, FlowsConfig)
    assert config.base_dir == project.resolve()
    assert config.path == (project / "flows.yaml").absolute()
    assert [job.name for job in config.jobs] == ["sample", "zoho-sync"]
    assert config.default_job is config.jobs[0]

    sample = config.job("sample")
    assert sample.kind is JobKind.NORMALISE
    assert sample.schedule == "0 2 * * MON-FRI"
    assert sample.timezone == "Asia/Shanghai"  # from defaults
    source = sample.sources[0]
    assert source.path == project.resolve() / "flows/samples/customers_en.csv"
    assert source.path_text == "flows/samples/customers_en.csv"
    assert source.mapping == project.resolve() / "mapping/files/csv_contacts.yaml"
    assert (source.encoding, source.delimiter, source.id_column) == ("gb18030", ";", "id")
    assert source.label == "flows/samples/customers_en.csv"
    assert sample.targets[0].bom is True
    assert sample.rejects.path == project.resolve() / ".crmbridge/out/sample-rejects.csv"
    assert sample.options.phone_region == "CN"  # from defaults
    assert sample.options.lowercase_email_local is False
    assert sample.options.dedupe_exact is True

    sync = config.job("zoho-sync")
    assert sync.timezone == "Europe/Berlin"
    assert sync.options.phone_region == "US"
    assert sync.rejects.path == Path("/var/tmp/rejects.csv")  # absolute paths are kept
    assert sync.sources[0].label == "zoho_cn:Contacts"

    zoho = config.systems["zoho_cn"]
    assert isinstance(zoho, ZohoSystem)
    assert zoho.client_id == "${ZOHO_CLIENT_ID}"  # kept as written until the system is used
    assert config.system("zoho_cn").client_id == "1000.CLIENTID"
    assert zoho.client_secret == SecretRef("env", "ZOHO_CLIENT_SECRET")
    assert zoho.daily_credit_budget == 20000
    assert config.state_url == f"sqlite:///{project.resolve()}/.crmbridge/state.db"


def test_unknown_key_with_line_and_did_you_mean(project: Path) -> None:
    text = edit("mapping: mapping/files/zoho_contacts.yaml}", "mapping: m.yaml, objetc: x}")
    problem = only_problem(config_error(project, text))
    assert problem == Problem(
        line_of(text, "objetc"),
        "jobs[1].sources[0].objetc",
        "unknown field 'objetc'; did you mean 'object'?",
    )


def test_unknown_key_in_a_system(project: Path) -> None:
    text = edit("    daily_credit_budget: 20000", "    daily_credit_budgt: 20000")
    problem = only_problem(config_error(project, text))
    assert problem == Problem(
        line_of(text, "daily_credit_budgt"),
        "systems.zoho_cn.daily_credit_budgt",
        "unknown field 'daily_credit_budgt'; did you mean 'daily_credit_budget'?",
    )


def test_wrong_kind(project: Path) -> None:
    text = edit("kind: normalise", "kind: normalize")
    error = config_error(project, text)
    assert only_problem(error) == Problem(
        line_of(text, "normalize"),
        "jobs[0].kind",
        "'normalize' is not a valid kind; did you mean 'normalise'?",
    )
    assert str(error) == (
        f"{error.path}:{line_of(text, 'normalize')}: jobs[0].kind: "
        "'normalize' is not a valid kind; did you mean 'normalise'?"
    )


def test_bad_cron_in_config(project: Path) -> None:
    text = edit('schedule: "0 2 * * MON-FRI"', 'schedule: "0 24 * * *"')
    assert only_problem(config_error(project, text)) == Problem(
        line_of(text, "schedule"),
        "jobs[0].schedule",
        "'0 24 * * *' is not a valid cron schedule: hour 24 is out of range 0-23",
    )


@pytest.mark.parametrize(
    ("expression", "normalised"),
    [
        ("*/15 * * * *", "*/15 * * * *"),
        ("  0   2 * * *  ", "0 2 * * *"),
        ("0 9-17/2 1,15 JAN-jun mon-FRI", "0 9-17/2 1,15 JAN-jun mon-FRI"),
        ("5 4 * * 7", "5 4 * * 7"),
        ("1/5 * * * *", "1/5 * * * *"),
        ("@Daily", "@daily"),
        ("0 22-2 * * *", "0 22-2 * * *"),  # Prefect's parser wraps it past midnight
        ("0 0 L * *", "0 0 L * *"),  # the last day of the month, as Prefect reads it
    ],
)
def test_valid_cron(expression: str, normalised: str) -> None:
    assert validate_cron(expression) == normalised


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("0 2 * *", "needs 5 fields"),
        ("0 0 2 * * *", "not 6"),
        ("60 * * * *", "minute 60 is out of range 0-59"),
        ("0 0 0 * *", "day of month 0 is out of range 1-31"),
        ("0 0 * 13 *", "month 13 is out of range 1-12"),
        ("0 0 * * 8", "day of week 8 is out of range 0-7"),
        ("*/0 * * * *", "minute step '0' must be a whole number above 0"),
        ("0 0 30 2 *", "no date ever matches it"),
        ("H * * * *", "minute value 'H' is not understood"),
        ("0 0 * * 5L", "day of week value '5L' is not understood"),
        ("0 0 * * MOM", "day of week value 'MOM' is not understood; did you mean 'MON'?"),
        ("0 0 * JAN-FOO *", "month value 'FOO' is not understood"),
        ("0 MON * * *", "hour value 'MON' is not understood"),
        ("0 1,,2 * * *", "hour has an empty value"),
    ],
)
def test_invalid_cron(expression: str, reason: str) -> None:
    with pytest.raises(ValueError, match="is not a valid cron schedule") as caught:
        validate_cron(expression)
    assert reason in str(caught.value)


def test_cron_is_checked_by_prefects_own_parser_without_importing_prefect() -> None:
    code = textwrap.dedent(
        """
        import sys
        from flows.config.cron import _prefect_croniter, validate_cron
        validate_cron("*/5 * * * *")
        print("prefect" in sys.modules)
        import prefect._vendor.croniter
        theirs = sys.modules["prefect._vendor.croniter.croniter"]
        print(_prefect_croniter().__file__ == theirs.__file__)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["False", "True"]


def test_missing_mapping_file(project: Path) -> None:
    text = edit("mapping/files/zoho_contacts.yaml", "mapping/files/zoho_contacs.yaml")
    problem = only_problem(config_error(project, text))
    assert problem.line == line_of(text, "zoho_contacs")
    assert problem.location == "jobs[1].sources[0].mapping"
    assert problem.message == (
        "mapping file mapping/files/zoho_contacs.yaml does not exist "
        f"(looked for {project.resolve() / 'mapping/files/zoho_contacs.yaml'})"
    )


def test_unknown_system(project: Path) -> None:
    text = edit("{system: zoho_cn, object: Contacts", "{system: zoho, object: Contacts")
    assert only_problem(config_error(project, text)) == Problem(
        line_of(text, "system: zoho,"),
        "jobs[1].sources[0].system",
        "unknown system 'zoho'; did you mean 'zoho_cn'?",
    )


def test_duplicate_job_name(project: Path) -> None:
    text = edit("name: zoho-sync", "name: sample")
    assert only_problem(config_error(project, text)) == Problem(
        line_of(text, "kind: sync") - 1,
        "jobs[1].name",
        f"duplicate job name 'sample' (first defined at line {line_of(text, 'name: sample')})",
    )


def test_duplicate_yaml_key(project: Path) -> None:
    text = edit("    data_centre: CN\n", "    data_centre: CN\n    data_centre: EU\n")
    error = config_error(project, text)
    assert isinstance(error, YamlDocError)
    first = line_of(text, "data_centre: CN")
    assert only_problem(error) == Problem(
        first + 1,
        "systems.zoho_cn.data_centre",
        f"duplicate key 'data_centre' (first defined at line {first})",
    )


def test_yaml_syntax_error(project: Path) -> None:
    text = edit("options: {phone_region: us}", "options: {phone_region: us")
    problem = only_problem(config_error(project, text))
    assert problem.message.startswith("YAML syntax error")
    assert problem.line is not None
    assert problem.line >= line_of(text, "phone_region: us")


def test_missing_flows_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"flows\.yaml: the file does not exist"):
        load_config(tmp_path / "flows.yaml", env={})


def test_literal_secret_is_refused_with_line_and_field(project: Path) -> None:
    text = edit('client_secret: "${ZOHO_CLIENT_SECRET}"', "client_secret: 1000.literal-value")
    error = config_error(project, text)
    line = line_of(text, "client_secret")
    assert only_problem(error) == Problem(
        line,
        "systems.zoho_cn.client_secret",
        "a literal secret is not allowed here; put it in an environment variable and write "
        "${ZOHO_CLIENT_SECRET}",
    )
    assert str(error).endswith(
        f"flows.yaml:{line}: systems.zoho_cn.client_secret: a literal secret is not allowed "
        "here; put it in an environment variable and write ${ZOHO_CLIENT_SECRET}"
    )
    assert "literal-value" not in str(error)
    assert error.__cause__ is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "12345",
            "a literal secret is not allowed here; put it in an environment variable "
            "and write ${FXIAOKE_APP_SECRET}",
        ),
        (
            '"${FXIAOKE_APP_SECRET:-dev}"',
            "a secret cannot have a default; write ${FXIAOKE_APP_SECRET} and set it",
        ),
        (
            '"prefix-${FXIAOKE_APP_SECRET}"',
            "a secret must be exactly one reference: ${ENV_VAR} or prefect-secret:<block-name>",
        ),
        ("prefect-secret:Bad_Name", "'Bad_Name' is not a Prefect block name"),
        ("null", "a secret reference is required: ${FXIAOKE_APP_SECRET}"),
    ],
)
def test_secret_forms_that_are_refused(project: Path, value: str, message: str) -> None:
    text = edit('app_secret: "${FXIAOKE_APP_SECRET}"', f"app_secret: {value}")
    problem = only_problem(config_error(project, text))
    assert problem.location == "systems.fxk.app_secret"
    assert problem.line == line_of(text, "app_secret")
    assert problem.message.startswith(message)


def test_non_secret_var_resolution_and_defaults(project: Path) -> None:
    text = edit(
        'description: "Normalise the bundled sample"',
        'description: "${WHO:-nobody} pays $$5 in ${CITY}"',
    )
    text = text.replace("path: flows/samples/customers_en.csv", "path: '${DATA}/in.csv'")
    config = load_config(write(project, text), env={**ENV, "CITY": "上海", "DATA": "data"})
    job = config.job("sample")
    assert job.description == "nobody pays $5 in 上海"
    assert job.sources[0].path == project.resolve() / "data/in.csv"
    assert job.sources[0].path_text == "${DATA}/in.csv"


def test_a_system_variable_is_needed_only_when_the_system_is_used(project: Path) -> None:
    env = {k: v for k, v in ENV.items() if k != "ZOHO_CLIENT_ID"}
    config = load_config(write(project, GOOD), env=env)  # loads: the csv job needs no Zoho
    with pytest.raises(ConfigError) as caught:
        config.system("zoho_cn")
    assert only_problem(caught.value) == Problem(
        line_of(GOOD, "client_id"),
        "systems.zoho_cn.client_id",
        "environment variable ZOHO_CLIENT_ID is not set",
    )
    assert config.system("zoho_cn", {"ZOHO_CLIENT_ID": "late"}).client_id == "late"


def test_a_malformed_reference_in_a_system_is_refused_at_load(project: Path) -> None:
    text = edit('client_id: "${ZOHO_CLIENT_ID}"', 'client_id: "${ZOHO CLIENT}"')
    problem = only_problem(config_error(project, text))
    assert problem.location == "systems.zoho_cn.client_id"
    assert "is not a valid reference" in problem.message


def test_a_missing_job_variable_is_still_an_error_at_load(project: Path) -> None:
    text = GOOD.replace("path: flows/samples/customers_en.csv", "path: '${DATA}/in.csv'")
    problem = only_problem(config_error(project, text))
    assert problem.location == "jobs[0].sources[0].path"
    assert problem.message == "environment variable DATA is not set"


def test_secrets_are_not_read_at_load_and_resolve_later(project: Path) -> None:
    config = load_config(write(project, GOOD), env={"ZOHO_CLIENT_ID": "x"})  # no secrets set
    zoho = config.systems["zoho_cn"]
    assert isinstance(zoho, ZohoSystem)
    assert zoho.client_secret.resolve(ENV).get_secret_value() == "zoho-secret-value-1"
    with pytest.raises(ConfigError) as caught:
        zoho.refresh_token.resolve({})
    assert str(caught.value) == (
        f"{caught.value.path}:{line_of(GOOD, 'refresh_token')}: systems.zoho_cn.refresh_token: "
        "environment variable ZOHO_REFRESH_TOKEN is not set"
    )


def test_resolve_reads_os_environ_by_default(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CRMBRIDGE_STATE_URL", raising=False)
    config = load_config(write(project, GOOD))
    zoho = config.system("zoho_cn")
    assert isinstance(zoho, ZohoSystem)
    assert zoho.client_id == "1000.CLIENTID"
    assert zoho.client_secret.resolve().get_secret_value() == "zoho-secret-value-1"
    monkeypatch.setenv("ZOHO_CLIENT_SECRET", "")
    with pytest.raises(ConfigError, match="environment variable ZOHO_CLIENT_SECRET is empty"):
        zoho.client_secret.resolve()


class FakeSecretBlock:
    loads: ClassVar[list[str]] = []

    def __init__(self, value: str) -> None:
        from pydantic import SecretStr

        self.value = SecretStr(value)

    @classmethod
    def load(cls, name: str, **kwargs: object) -> FakeSecretBlock:
        cls.loads.append(name)
        if name != "fxiaoke-permanent-code":
            raise ValueError(f"Unable to find block document named {name}")
        return cls("0123")


def test_prefect_secret_is_resolved_only_on_resolve(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = types.ModuleType("prefect.blocks.system")
    fake.Secret = FakeSecretBlock  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "prefect.blocks.system", fake)
    monkeypatch.setattr(FakeSecretBlock, "loads", [])
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")

    config = load_config(write(project, GOOD), env=ENV)
    ref = config.systems["fxk"].permanent_code  # type: ignore[union-attr]
    assert ref.reference == "prefect-secret:fxiaoke-permanent-code"
    assert FakeSecretBlock.loads == []  # nothing read at load time
    assert ref.resolve().get_secret_value() == "0123"
    assert FakeSecretBlock.loads == ["fxiaoke-permanent-code"]

    missing = SecretRef.parse("prefect-secret:other")
    with pytest.raises(ConfigError, match="cannot load the Prefect Secret block 'other'"):
        missing.resolve()


def test_prefect_secret_without_a_prefect_server_is_a_clear_error(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoUrl:
        @staticmethod
        def value() -> None:
            return None

    fake = types.ModuleType("prefect.blocks.system")
    fake.Secret = FakeSecretBlock  # type: ignore[attr-defined]
    settings = types.ModuleType("prefect.settings")
    settings.PREFECT_API_URL = NoUrl  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "prefect.blocks.system", fake)
    monkeypatch.setitem(sys.modules, "prefect.settings", settings)
    monkeypatch.setattr(FakeSecretBlock, "loads", [])
    monkeypatch.delenv("PREFECT_API_URL", raising=False)

    config = load_config(write(project, GOOD), env=ENV)
    with pytest.raises(ConfigError) as caught:
        config.systems["fxk"].permanent_code.resolve()  # type: ignore[union-attr]
    problem = only_problem(caught.value)
    assert problem.location == "systems.fxk.permanent_code"
    assert problem.line == line_of(GOOD, "prefect-secret:")
    assert "PREFECT_API_URL is not set" in problem.message
    assert FakeSecretBlock.loads == []  # no temporary server, no block lookup


def test_importing_config_does_not_import_prefect() -> None:
    code = "import sys, flows.config; print('prefect' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == "False"


def test_secrets_never_appear_in_repr_str_or_dump(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    config = load_config(write(project, GOOD), env=ENV)
    zoho = config.systems["zoho_cn"]
    assert isinstance(zoho, ZohoSystem)
    resolved = zoho.client_secret.resolve()
    shown = [repr(config), str(config), config.model_dump_json(), repr(resolved), str(resolved)]
    shown.append(str(config.model_dump()))
    for text in shown:
        for secret in ("zoho-secret-value-1", "zoho-refresh-value-2", "fx-secret-value-3"):
            assert secret not in text
    assert repr(zoho.client_secret) == "SecretRef('${ZOHO_CLIENT_SECRET}')"
    assert str(zoho.client_secret) == "${ZOHO_CLIENT_SECRET}"
    assert '"client_secret":"${ZOHO_CLIENT_SECRET}"' in config.model_dump_json()


def test_state_url_override_and_relative_sqlite(project: Path) -> None:
    text = GOOD.replace("version: 1\n", "version: 1\nstate: {url: 'sqlite:///db/state.db'}\n")
    path = write(project, text)
    assert load_config(path, env=ENV).state_url == f"sqlite:///{project.resolve()}/db/state.db"
    override = "postgresql+psycopg://crm@db.internal/crm"
    config = load_config(path, env={**ENV, "CRMBRIDGE_STATE_URL": override})
    assert config.state_url == override
    absolute = "sqlite:////srv/state.db?timeout=5"
    assert load_config(path, env={**ENV, "CRMBRIDGE_STATE_URL": absolute}).state_url == absolute


def test_state_url_password_must_be_a_reference(project: Path) -> None:
    literal = GOOD.replace(
        "version: 1\n", "version: 1\nstate:\n  url: postgresql://crm:hunter2@db/crm\n"
    )
    problem = only_problem(config_error(project, literal))
    assert (problem.line, problem.location) == (3, "state.url")
    assert problem.message.startswith("a literal password is not allowed in the state URL")

    reference = literal.replace("hunter2", "${PG_PASSWORD}")
    config = load_config(write(project, reference), env={**ENV, "PG_PASSWORD": "pw-value"})
    assert config.state_url == "postgresql://crm:pw-value@db/crm"
    assert "pw-value" not in repr(config)
    assert "pw-value" not in config.model_dump_json()
    assert only_problem(config_error(project, reference)).message == (
        "environment variable PG_PASSWORD is not set"
    )


def test_relative_paths_resolve_against_the_flows_yaml_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project, GOOD)
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = load_config(Path("..") / "flows.yaml", env=ENV)
    assert config.base_dir == project.resolve()
    target = config.default_job.targets[0]
    assert target.path == project.resolve() / ".crmbridge/out/contacts.csv"
    assert target.path_text == ".crmbridge/out/contacts.csv"


def test_unknown_job_name(project: Path) -> None:
    config = load_config(write(project, GOOD), env=ENV)
    with pytest.raises(UnknownJobError) as caught:
        config.job("sampel")
    assert isinstance(caught.value, KeyError)
    assert isinstance(caught.value, ConfigError)
    assert only_problem(caught.value) == Problem(
        line_of(GOOD, "jobs:"), "jobs", "there is no job named 'sampel'; did you mean 'sample'?"
    )
    with pytest.raises(UnknownJobError, match="the jobs are sample, zoho-sync"):
        config.job("nothing-like-it")


def test_normalise_needs_a_source_and_one_csv_target(project: Path) -> None:
    text = """
    version: 1
    systems:
      fxk: {type: fxiaoke, app_id: a, app_secret: "${S}", permanent_code: "${P}"}
    jobs:
      - name: a
        kind: normalise
        targets:
          - {system: fxk, object: ContactObj}
    """
    error = config_error(project, text)
    assert error.problems == (
        Problem(5, "jobs[0].sources", "a normalise job needs at least one source"),
        Problem(
            7,
            "jobs[0].targets",
            "a normalise job needs exactly one target, a csv file (system: csv)",
        ),
    )


def test_endpoint_rules(project: Path) -> None:
    text = """
    version: 1
    systems:
      csv: {type: fxiaoke, app_id: a, app_secret: "${S}", permanent_code: "${P}"}
      fxk: {type: fxiaoke, app_id: a, app_secret: "${S}", permanent_code: "${P}"}
    jobs:
      - name: a
        kind: sync
        sources:
          - {system: csv, object: contacts}
        targets:
          - {system: fxk, object: ContactObj, path: out.csv, bom: false}
    """
    error = config_error(project, text)
    assert error.problems == (
        Problem(3, "systems.csv", "'csv' is built in; give this system another name"),
        Problem(9, "jobs[0].sources[0].path", "a csv endpoint needs a path"),
        Problem(11, "jobs[0].targets[0].path", "path is only for csv endpoints (system: csv)"),
        Problem(11, "jobs[0].targets[0].bom", "bom is only for csv endpoints (system: csv)"),
    )


def test_value_checks(project: Path) -> None:
    text = """
    version: 2
    defaults: {phone_region: China, timezone: Asia/Shanghia}
    systems:
      Zoho CN: {type: zoho, client_id: a, client_secret: "${S}", refresh_token: "${R}"}
    jobs:
      - name: Sample Job
        kind: sync
        sources:
          - {system: csv, object: c, path: a.csv, encoding: utf-99, delimiter: "::"}
    """
    messages = {p.location: (p.line, p.message) for p in config_error(project, text).problems}
    assert messages == {
        "version": (1, "2 is not a valid version; expected 1"),
        "defaults.phone_region": (
            2,
            "'China' is not a region; write a two-letter country code such as CN",
        ),
        "defaults.timezone": (
            2,
            "'Asia/Shanghia' is not a known time zone; did you mean 'Asia/Shanghai'?",
        ),
        "systems['Zoho CN']": (
            4,
            "'Zoho CN' is not a valid system name: use a-z, 0-9 and _, starting with a letter, "
            "at most 64 characters",
        ),
        "jobs[0].name": (
            6,
            "'Sample Job' is not a valid job name: use a-z, 0-9, _ and -, starting with a "
            "letter or digit, at most 64 characters",
        ),
        "jobs[0].sources[0].encoding": (9, "'utf-99' is not a known text encoding"),
        "jobs[0].sources[0].delimiter": (9, "a delimiter is one character, not '::'"),
    }


def test_missing_version_and_jobs(project: Path) -> None:
    error = config_error(project, "defaults: {phone_region: CN}\n")
    assert [p.message for p in error.problems] == [
        "required field 'version' is missing",
        "required field 'jobs' is missing",
    ]
    empty = config_error(project, "version: 1\njobs: []\n")
    assert only_problem(empty) == Problem(2, "jobs", "flows.yaml needs at least one job")


def test_prefect_settings_of_a_job_are_validated_with_their_lines(project: Path) -> None:
    text = edit(
        'schedule: "0 2 * * MON-FRI"',
        'schedule: "0 2 * * MON-FRI"\n    retries: -1\n    timeout_seconds: 0\n'
        '    tags: ["bad tag"]',
    )
    error = config_error(project, text)
    found = {p.location: (p.line, p.message) for p in error.problems}
    assert found["jobs[0].retries"][0] == line_of(text, "retries:")
    assert found["jobs[0].timeout_seconds"][0] == line_of(text, "timeout_seconds:")
    assert found["jobs[0].tags[0]"][0] == line_of(text, "tags:")
    assert "'bad tag' is not a valid tag" in found["jobs[0].tags[0]"][1]


def test_project_defaults_to_the_folder_name(project: Path) -> None:
    config = load_config(write(project, GOOD), env=ENV)
    assert config.project_name == project.name.lower()
    named = load_config(write(project, "project: acme-cn\n" + textwrap.dedent(GOOD)), env=ENV)
    assert named.project_name == "acme-cn"
    error = config_error(project, "project: Acme CN\n" + textwrap.dedent(GOOD))
    assert only_problem(error).location == "project"


def test_a_plain_http_system_url_is_refused_with_its_line_unless_loopback(project: Path) -> None:
    text = edit("daily_credit_budget: 20000", "accounts_url: http://accounts.example.com")
    problem = only_problem(config_error(project, text))
    assert problem.line == line_of(text, "accounts_url")
    assert problem.location == "systems.zoho_cn.accounts_url"
    assert "plain http to accounts.example.com" in problem.message
    assert "HTTPS only" in problem.message

    local = edit("daily_credit_budget: 20000", "accounts_url: http://127.0.0.1:8701")
    assert load_config(write(project, local), env=ENV).system("zoho_cn").accounts_url

    # A ${VAR} is checked when the system is opened, with the line of the field.
    lazy = edit("daily_credit_budget: 20000", "api_base_url: ${ZOHO_API}")
    config = load_config(write(project, lazy), env={**ENV, "ZOHO_API": "http://api.example.com"})
    with pytest.raises(ConfigError) as caught:
        config.system("zoho_cn")
    problem = only_problem(caught.value)
    assert (problem.line, problem.location) == (line_of(lazy, "api_base_url"),
                                                 "systems.zoho_cn.api_base_url")  # fmt: skip
    assert "plain http to api.example.com" in problem.message
