-- govreport's roles for current ClickHouse (20.x and later, SQL-driven access control):
-- apply as an administrator with clickhouse-client --multiquery < rbac.sql, then grant
-- the roles to users (examples at the end). Unlike users.d/govreport.xml, which 18.16
-- also reads, this makes the loader insert-only.

CREATE SETTINGS PROFILE IF NOT EXISTS govreport_analyst SETTINGS readonly = 2, max_execution_time = 300, max_memory_usage = 8000000000, max_result_rows = 10000000;

CREATE SETTINGS PROFILE IF NOT EXISTS govreport_loader SETTINGS max_execution_time = 300, insert_distributed_sync = 1;

CREATE ROLE IF NOT EXISTS govreport_analyst SETTINGS PROFILE 'govreport_analyst';

CREATE ROLE IF NOT EXISTS govreport_loader SETTINGS PROFILE 'govreport_loader';

CREATE ROLE IF NOT EXISTS govreport_migrator;

-- Analysts read every table and view of govreport.
GRANT SELECT ON govreport.* TO govreport_analyst;

-- The loader inserts; it reads only the migrations table (to check the schema at
-- start). The alerter, which reads reports and writes alerts, gets SELECT as well.
GRANT INSERT ON govreport.* TO govreport_loader;

GRANT SELECT ON govreport.schema_migrations TO govreport_loader;

-- Migrations: tables, views, the migrations table.
GRANT CREATE TABLE, CREATE VIEW, CREATE DATABASE, ALTER, DROP TABLE, DROP VIEW, SELECT, INSERT ON govreport.* TO govreport_migrator;

-- Example users (choose your own passwords):
-- CREATE USER IF NOT EXISTS analyst IDENTIFIED WITH sha256_password BY '…' DEFAULT ROLE govreport_analyst;
-- GRANT govreport_analyst TO analyst;
-- CREATE USER IF NOT EXISTS loader IDENTIFIED WITH sha256_password BY '…' DEFAULT ROLE govreport_loader;
-- GRANT govreport_loader TO loader;
