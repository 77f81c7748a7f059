-- Run once by the postgres image on an empty volume: the state store's own database and
-- role beside Prefect's (the password comes from the container's environment, see
-- compose.yaml; this file holds none).
\set crmbridge_password `echo "$CRMBRIDGE_DB_PASSWORD"`
CREATE ROLE crmbridge LOGIN PASSWORD :'crmbridge_password';
CREATE DATABASE crmbridge OWNER crmbridge;
