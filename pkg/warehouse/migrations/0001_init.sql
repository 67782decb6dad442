-- 0001: the pipeline's tables and the analysts' views.
--
-- Every fact table carries `version` (the record's ExtractedAt in nanoseconds) and is
-- a ReplacingMergeTree on it: a replayed message replaces itself and a re-extraction
-- replaces the older one. Region columns are on every fact so GROUP BY needs no join.
-- The *_current views return one current row per key, so nobody needs FINAL.
--
-- Valid on ClickHouse 18.16 and current releases: no TTL, CODEC, LowCardinality,
-- skipping indexes, window functions or CTEs. DateTime columns are in UTC.
-- ${database} is replaced by the target database. Statements end with ';' at line end.

CREATE TABLE IF NOT EXISTS ${database}.reports (
    doc_id String,
    version UInt64,
    schema_version UInt16,
    parser_version String,
    extracted_at DateTime('UTC'),
    source_url String,
    site String,
    body String,
    title String,
    year UInt16,
    level String,
    province String,
    city String,
    county String,
    township String,
    region_code String,
    township_code String,
    template String,
    published_date Nullable(Date),
    fetched_at DateTime('UTC'),
    content_sha256 String,
    site_id_code String,
    confidence Float32,
    findings_errors UInt16,
    findings_total UInt16,
    record String
) ENGINE = ReplacingMergeTree(version) ORDER BY (doc_id);

CREATE TABLE IF NOT EXISTS ${database}.application_cells (
    doc_id String,
    version UInt64,
    body String,
    year UInt16,
    level String,
    province String,
    city String,
    county String,
    region_code String,
    template String,
    row String,
    col String,
    state Enum8('number' = 1, 'blank' = 2, 'text' = 3, 'missing' = 4),
    value Nullable(Int64),
    raw String,
    by_position UInt8,
    src String
) ENGINE = ReplacingMergeTree(version) ORDER BY (doc_id, row, col);

CREATE TABLE IF NOT EXISTS ${database}.review_cells (
    doc_id String,
    version UInt64,
    body String,
    year UInt16,
    level String,
    province String,
    city String,
    county String,
    region_code String,
    template String,
    review_group String,
    outcome String,
    state Enum8('number' = 1, 'blank' = 2, 'text' = 3, 'missing' = 4),
    value Nullable(Int64),
    raw String,
    by_position UInt8,
    src String
) ENGINE = ReplacingMergeTree(version) ORDER BY (doc_id, review_group, outcome);

CREATE TABLE IF NOT EXISTS ${database}.disclosure_cells (
    doc_id String,
    version UInt64,
    body String,
    year UInt16,
    level String,
    province String,
    city String,
    county String,
    region_code String,
    template String,
    item String,
    metric String,
    state Enum8('number' = 1, 'blank' = 2, 'text' = 3, 'missing' = 4),
    value Nullable(Float64),
    unit String,
    raw String,
    by_position UInt8,
    src String
) ENGINE = ReplacingMergeTree(version) ORDER BY (doc_id, item, metric);

CREATE TABLE IF NOT EXISTS ${database}.raw_documents (
    doc_id String,
    version UInt64,
    url String,
    site String,
    kind String,
    fetched_at DateTime('UTC'),
    content_sha256 String,
    size UInt64,
    status Enum8('parsed' = 1, 'rejected' = 2),
    reason String,
    detail String,
    parser_version String,
    province String,
    city String,
    county String,
    region_code String
) ENGINE = ReplacingMergeTree(version) ORDER BY (doc_id);

-- seq is the finding's position in the record: two findings of one rule and scope
-- (an extractor's doubts about two cells, say) must not replace each other.
CREATE TABLE IF NOT EXISTS ${database}.findings (
    doc_id String,
    version UInt64,
    body String,
    year UInt16,
    level String,
    province String,
    city String,
    county String,
    region_code String,
    rule String,
    severity String,
    status String,
    scope String,
    seq UInt16,
    cells Array(String),
    lhs Float64,
    rhs Float64,
    blank_as_zero Array(String),
    unassessable Array(String),
    message String
) ENGINE = ReplacingMergeTree(version) ORDER BY (doc_id, version, rule, scope, seq);

CREATE TABLE IF NOT EXISTS ${database}.alerts (
    alert_id String,
    version UInt64,
    rule String,
    severity String,
    status Enum8('open' = 1, 'resolved' = 2),
    doc_id String,
    body String,
    year UInt16,
    level String,
    province String,
    city String,
    county String,
    region_code String,
    source_url String,
    cells Array(String),
    cell_values Array(String),
    message_zh String,
    message_en String,
    raised_at DateTime('UTC'),
    resolved_at Nullable(DateTime('UTC'))
) ENGINE = ReplacingMergeTree(version) ORDER BY (alert_id);

CREATE VIEW IF NOT EXISTS ${database}.reports_current AS
SELECT
    doc_id, version, schema_version, parser_version, extracted_at, source_url, site, body,
    title, year, level, province, city, county, township, region_code, township_code,
    template, published_date, fetched_at, content_sha256, site_id_code, confidence,
    findings_errors, findings_total, record
FROM ${database}.reports FINAL;

CREATE VIEW IF NOT EXISTS ${database}.application_cells_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, region_code, template,
    row, col, state, value, raw, by_position, src
FROM ${database}.application_cells FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM ${database}.reports FINAL);

CREATE VIEW IF NOT EXISTS ${database}.review_cells_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, region_code, template,
    review_group, outcome, state, value, raw, by_position, src
FROM ${database}.review_cells FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM ${database}.reports FINAL);

CREATE VIEW IF NOT EXISTS ${database}.disclosure_cells_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, region_code, template,
    item, metric, state, value, unit, raw, by_position, src
FROM ${database}.disclosure_cells FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM ${database}.reports FINAL);

CREATE VIEW IF NOT EXISTS ${database}.findings_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, region_code,
    rule, severity, status, scope, seq, cells, lhs, rhs, blank_as_zero, unassessable, message
FROM ${database}.findings FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM ${database}.reports FINAL);

CREATE VIEW IF NOT EXISTS ${database}.raw_documents_current AS
SELECT
    doc_id, version, url, site, kind, fetched_at, content_sha256, size, status, reason,
    detail, parser_version, province, city, county, region_code
FROM ${database}.raw_documents FINAL;

CREATE VIEW IF NOT EXISTS ${database}.alerts_current AS
SELECT
    alert_id, version, rule, severity, status, doc_id, body, year, level, province, city,
    county, region_code, source_url, cells, cell_values, message_zh, message_en, raised_at,
    resolved_at
FROM ${database}.alerts FINAL;
