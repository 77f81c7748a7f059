# crmbridge with its locked dependencies (uv.lock), PostgreSQL driver included. One image
# serves every role in compose.yaml: the Prefect server, the worker and `crmbridge` commands.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/crmbridge/venv \
    PATH=/opt/crmbridge/venv/bin:$PATH \
    PREFECT_SERVER_ANALYTICS_ENABLED=false

WORKDIR /opt/crmbridge
RUN pip install --no-cache-dir "uv==0.13.9"
COPY pyproject.toml uv.lock README.md ./
COPY canonical ./canonical
COPY connectors ./connectors
COPY mapping ./mapping
COPY flows ./flows
# --frozen: exactly uv.lock (SQLAlchemy < 2.1, which Prefect 3.8.8's scheduler needs).
RUN uv sync --frozen --no-dev --extra postgres --no-editable \
    && python -c "import prefect.server.api.server, flows.prefect_flows"

# The project (flows.yaml, mapping files, outputs) is mounted here; deployments name
# /project/flows.yaml, so the worker must see the same path.
WORKDIR /project
CMD ["crmbridge", "--help"]
