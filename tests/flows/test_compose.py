"""compose.yaml and the Dockerfile, checked without a Docker engine: the services that make a
schedule run (PostgreSQL, a Prefect server, a worker, the crmbridge command) agree on hosts,
ports, databases, the work pool and the project folder, and hold no literal secret.

Where the docker CLI has its compose plugin, `docker compose config` (which needs no engine)
validates the file too."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "compose.yaml"
SECRETS = {"POSTGRES_PASSWORD": "pg-pw", "CRMBRIDGE_DB_PASSWORD": "crm-pw"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return document


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    return {str(k): str(v) for k, v in env.items()}


def _expanded(value: str) -> str:
    """${VAR:?..} / ${VAR:-..} as docker compose would expand them with SECRETS set."""
    return re.sub(r"\$\{([A-Z_]+)(?::[?-][^}]*)?\}", lambda m: SECRETS.get(m.group(1), ""), value)


def test_the_services_of_a_scheduled_setup_are_there(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"postgres", "prefect-server", "worker", "crmbridge"} <= set(services)
    assert "postgres-data" in compose["volumes"]
    for name in ("prefect-server", "worker", "crmbridge"):
        assert services[name]["build"] == "."  # one image, built from this Dockerfile
    assert (REPO / "Dockerfile").is_file()


def test_clients_reach_the_prefect_server_where_it_listens(compose: dict[str, Any]) -> None:
    services = compose["services"]
    command = services["prefect-server"]["command"]
    port = command[command.index("--port") + 1]
    for name in ("worker", "crmbridge"):
        url = urlsplit(_env(services[name])["PREFECT_API_URL"])
        assert (url.hostname, str(url.port), url.path) == ("prefect-server", port, "/api")
        assert services[name]["depends_on"]["prefect-server"]["condition"] == "service_healthy"
    assert f"{port}:{port}" in services["prefect-server"]["ports"]


def test_prefect_and_the_state_store_use_the_postgres_service(compose: dict[str, Any]) -> None:
    services = compose["services"]
    postgres = _env(services["postgres"])
    prefect_db = urlsplit(
        _expanded(_env(services["prefect-server"])["PREFECT_API_DATABASE_CONNECTION_URL"])
    )
    assert prefect_db.scheme == "postgresql+asyncpg"
    assert (prefect_db.hostname, prefect_db.path.lstrip("/")) == (
        "postgres",
        postgres["POSTGRES_DB"],
    )
    assert prefect_db.username == postgres["POSTGRES_USER"]
    init = (REPO / "deploy" / "postgres-init.sql").read_text(encoding="utf-8")
    mounted = [v for v in services["postgres"]["volumes"] if "docker-entrypoint-initdb.d" in v]
    assert mounted and mounted[0].startswith("./deploy/postgres-init.sql:")
    for name in ("worker", "crmbridge"):
        state = urlsplit(_expanded(_env(services[name])["CRMBRIDGE_STATE_URL"]))
        assert (state.hostname, state.port) == ("postgres", 5432)
        database, role = state.path.lstrip("/"), state.username
        assert f"CREATE DATABASE {database} OWNER {role};" in init
        assert f"CREATE ROLE {role} LOGIN" in init
        assert state.password == SECRETS["CRMBRIDGE_DB_PASSWORD"]


def test_the_worker_serves_the_pool_deploy_registers_on(compose: dict[str, Any]) -> None:
    services = compose["services"]
    command = services["worker"]["command"]
    pool = command[command.index("--pool") + 1]
    assert command[command.index("--type") + 1] == "process"
    assert _env(services["crmbridge"])["CRMBRIDGE_WORK_POOL"] == pool


def test_deployments_and_the_worker_see_one_project_path(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ("worker", "crmbridge"):
        service = services[name]
        assert "./:/project" in service["volumes"]
        assert service["working_dir"] == "/project"
        assert _env(service)["CRMBRIDGE_CONFIG"].startswith("/project/")


def test_no_literal_secret_in_compose_yaml(compose: dict[str, Any]) -> None:
    secret_like = re.compile(r"PASSWORD|SECRET|TOKEN|KEY", re.IGNORECASE)
    for name, service in compose["services"].items():
        for key, value in _env(service).items():
            if secret_like.search(key):
                assert re.fullmatch(r"\$\{[A-Z_]+(:[?-][^}]*)?\}", value), (name, key)
            for url in re.findall(r"://[^@/]*@", value):
                assert "${" in url, (name, key)  # a password in a URL is a reference too


def test_the_image_installs_what_the_wheel_ships_from_the_lock_file() -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    for package in pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]:
        assert f"COPY {package} ./{package}" in dockerfile
    assert "uv sync --frozen" in dockerfile and "--extra postgres" in dockerfile
    assert "COPY pyproject.toml uv.lock" in dockerfile


def _compose_cli() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not shutil.which("docker"), reason="no docker binary")
def test_docker_compose_config_accepts_the_file() -> None:
    if not _compose_cli():
        pytest.skip("the docker CLI here has no compose plugin (checked by the tests above)")
    result = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"],
        capture_output=True, text=True, check=False, env={**SECRETS, "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
