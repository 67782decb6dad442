-- Generated from pkg/warehouse/migrations by `go test ./pkg/warehouse -run TestDeploySchemaFiles -update`; do not edit.
-- The single-node schema for database govreport (what `govreport migrate` applies).

-- 0001_init

CREATE TABLE IF NOT EXISTS govreport.reports (
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

CREATE TABLE IF NOT EXISTS govreport.application_cells (
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

CREATE TABLE IF NOT EXISTS govreport.review_cells (
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

CREATE TABLE IF NOT EXISTS govreport.disclosure_cells (
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

CREATE TABLE IF NOT EXISTS govreport.raw_documents (
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

CREATE TABLE IF NOT EXISTS govreport.findings (
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

CREATE TABLE IF NOT EXISTS govreport.alerts (
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

CREATE VIEW IF NOT EXISTS govreport.reports_current AS
SELECT
    doc_id, version, schema_version, parser_version, extracted_at, source_url, site, body,
    title, year, level, province, city, county, township, region_code, township_code,
    template, published_date, fetched_at, content_sha256, site_id_code, confidence,
    findings_errors, findings_total, record
FROM govreport.reports FINAL;

CREATE VIEW IF NOT EXISTS govreport.application_cells_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, region_code, template,
    row, col, state, value, raw, by_position, src
FROM govreport.application_cells FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM govreport.reports FINAL);

CREATE VIEW IF NOT EXISTS govreport.review_cells_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, region_code, template,
    review_group, outcome, state, value, raw, by_position, src
FROM govreport.review_cells FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM govreport.reports FINAL);

CREATE VIEW IF NOT EXISTS govreport.disclosure_cells_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, region_code, template,
    item, metric, state, value, unit, raw, by_position, src
FROM govreport.disclosure_cells FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM govreport.reports FINAL);

CREATE VIEW IF NOT EXISTS govreport.findings_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, region_code,
    rule, severity, status, scope, seq, cells, lhs, rhs, blank_as_zero, unassessable, message
FROM govreport.findings FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM govreport.reports FINAL);

CREATE VIEW IF NOT EXISTS govreport.raw_documents_current AS
SELECT
    doc_id, version, url, site, kind, fetched_at, content_sha256, size, status, reason,
    detail, parser_version, province, city, county, region_code
FROM govreport.raw_documents FINAL;

CREATE VIEW IF NOT EXISTS govreport.alerts_current AS
SELECT
    alert_id, version, rule, severity, status, doc_id, body, year, level, province, city,
    county, region_code, source_url, cells, cell_values, message_zh, message_en, raised_at,
    resolved_at
FROM govreport.alerts FINAL;

-- 0002_analyst_views

CREATE VIEW IF NOT EXISTS govreport.reports_primary AS
SELECT
    doc_id, version, body, year, level, province, city, county, township, region_code,
    township_code, template, site, source_url, published_date, confidence,
    findings_errors, findings_total
FROM govreport.reports FINAL
WHERE doc_id IN (
    SELECT argMin(doc_id, (-confidence, findings_errors, doc_id))
    FROM govreport.reports FINAL
    GROUP BY body, year, if(body = '' OR year = 0, doc_id, '')
);

CREATE VIEW IF NOT EXISTS govreport.applications_by_report AS
SELECT
    doc_id, body, year, level, province, city, county, region_code, template,
    sumIf(ifNull(value, 0), row = 'new_received') AS received,
    sumIf(ifNull(value, 0), row = 'carried_over') AS carried_over,
    sumIf(ifNull(value, 0), row = 'granted') AS granted,
    sumIf(ifNull(value, 0), row = 'partially_granted') AS partially_granted,
    sumIf(ifNull(value, 0), startsWith(row, 'withheld.')) AS withheld,
    sumIf(ifNull(value, 0), startsWith(row, 'unable.')) AS unable,
    sumIf(ifNull(value, 0), startsWith(row, 'not_processed.')) AS not_processed,
    if(countIf(startsWith(row, 'other.')) > 0,
       sumIf(ifNull(value, 0), startsWith(row, 'other.')),
       sumIf(ifNull(value, 0), row = 'other')) AS other_processed,
    sumIf(ifNull(value, 0), row = 'total') AS total_processed,
    sumIf(ifNull(value, 0), row = 'carried_forward') AS carried_forward
FROM govreport.application_cells_current
WHERE col = 'total' AND doc_id IN (SELECT doc_id FROM govreport.reports_primary)
GROUP BY doc_id, body, year, level, province, city, county, region_code, template;

CREATE VIEW IF NOT EXISTS govreport.applications_by_region AS
SELECT
    province, level, year,
    count() AS reports,
    sum(received) AS received_sum,
    sum(carried_over) AS carried_over_sum,
    sum(total_processed) AS processed_sum,
    sum(granted) AS granted_sum,
    sum(partially_granted) AS partially_granted_sum,
    sum(withheld) AS withheld_sum,
    sum(unable) AS unable_sum,
    sum(not_processed) AS not_processed_sum,
    sum(other_processed) AS other_processed_sum,
    sum(carried_forward) AS carried_forward_sum,
    if(processed_sum > 0, granted_sum / processed_sum, NULL) AS granted_rate
FROM govreport.applications_by_report
GROUP BY province, level, year;

CREATE VIEW IF NOT EXISTS govreport.outcome_shares AS
SELECT
    province, level, year, outcome, cases, processed,
    if(processed > 0, cases / processed, NULL) AS share
FROM (
    SELECT
        province, level, year,
        sum(total_processed) AS processed,
        ['granted', 'partially_granted', 'withheld', 'unable', 'not_processed', 'other'] AS outcomes,
        [sum(granted), sum(partially_granted), sum(withheld), sum(unable), sum(not_processed), sum(other_processed)] AS counts
    FROM govreport.applications_by_report
    GROUP BY province, level, year
)
ARRAY JOIN outcomes AS outcome, counts AS cases;

CREATE VIEW IF NOT EXISTS govreport.outcome_reasons AS
SELECT
    province, level, year, outcome, reason, cases, outcome_cases,
    if(outcome_cases > 0, cases / outcome_cases, NULL) AS share
FROM (
    SELECT
        province, level, year, outcome,
        groupArray(row) AS reasons,
        groupArray(n) AS ns,
        sum(n) AS outcome_cases
    FROM (
        SELECT province, level, year, splitByChar('.', row)[1] AS outcome, row, sum(ifNull(value, 0)) AS n
        FROM govreport.application_cells_current
        WHERE col = 'total' AND position(row, '.') > 0
            AND doc_id IN (SELECT doc_id FROM govreport.reports_primary)
        GROUP BY province, level, year, outcome, row
    )
    GROUP BY province, level, year, outcome
)
ARRAY JOIN reasons AS reason, ns AS cases;

CREATE VIEW IF NOT EXISTS govreport.applicant_mix AS
SELECT
    province, level, year, applicant, requests, all_requests,
    if(all_requests > 0, requests / all_requests, NULL) AS share
FROM (
    SELECT province, level, year, groupArray(col) AS cols, groupArray(n) AS ns, sum(n) AS all_requests
    FROM (
        SELECT province, level, year, col, sum(ifNull(value, 0)) AS n
        FROM govreport.application_cells_current
        WHERE row = 'new_received' AND col != 'total'
            AND doc_id IN (SELECT doc_id FROM govreport.reports_primary)
        GROUP BY province, level, year, col
    )
    GROUP BY province, level, year
)
ARRAY JOIN cols AS applicant, ns AS requests;

CREATE VIEW IF NOT EXISTS govreport.review_outcomes AS
SELECT
    province, level, year, review_group,
    uniqExact(doc_id) AS reports,
    sumIf(ifNull(value, 0), outcome = 'upheld') AS upheld,
    sumIf(ifNull(value, 0), outcome = 'corrected') AS corrected,
    sumIf(ifNull(value, 0), outcome = 'other') AS other_result,
    sumIf(ifNull(value, 0), outcome = 'pending') AS pending,
    sumIf(ifNull(value, 0), outcome = 'total') AS cases,
    upheld + corrected + other_result AS decided,
    if(decided > 0, corrected / decided, NULL) AS correction_rate
FROM govreport.review_cells_current
WHERE doc_id IN (SELECT doc_id FROM govreport.reports_primary)
GROUP BY province, level, year, review_group;

CREATE VIEW IF NOT EXISTS govreport.rule_failures AS
SELECT
    province, level, year, rule, failing_reports, reports,
    if(reports > 0, failing_reports / reports, NULL) AS share
FROM (
    SELECT province, level, year, rule, uniqExact(doc_id) AS failing_reports
    FROM govreport.findings_current
    WHERE status = 'violated' AND doc_id IN (SELECT doc_id FROM govreport.reports_primary)
    GROUP BY province, level, year, rule
) AS f
ANY LEFT JOIN (
    SELECT province, level, year, count() AS reports
    FROM govreport.reports_primary
    GROUP BY province, level, year
) AS r USING (province, level, year);

CREATE VIEW IF NOT EXISTS govreport.missing_reports AS
SELECT
    body, body_level AS level, body_province AS province, body_city AS city,
    body_county AS county, body_region_code AS region_code,
    first_year, last_year, years_reported,
    toUInt16(first_year + 1 + offset) AS missing_year
FROM (
    SELECT
        body,
        argMax(level, year) AS body_level,
        argMax(province, year) AS body_province,
        argMax(city, year) AS body_city,
        argMax(county, year) AS body_county,
        argMax(region_code, year) AS body_region_code,
        min(year) AS first_year,
        max(year) AS last_year,
        count() AS years_reported,
        groupArray(year) AS years,
        (SELECT max(year) FROM govreport.reports_primary) AS latest
    FROM govreport.reports_primary
    WHERE body != '' AND year > 0
    GROUP BY body
)
ARRAY JOIN range(toUInt64(latest - first_year)) AS offset
WHERE NOT has(years, missing_year);

-- 0003_regions

ALTER TABLE govreport.reports
    ADD COLUMN division_level String AFTER level,
    ADD COLUMN department String AFTER division_level,
    ADD COLUMN zone String AFTER department,
    ADD COLUMN region_confidence Float32 AFTER township_code,
    ADD COLUMN region_reason String AFTER region_confidence;

ALTER TABLE govreport.application_cells
    ADD COLUMN township String AFTER county,
    ADD COLUMN township_code String AFTER region_code;

ALTER TABLE govreport.review_cells
    ADD COLUMN township String AFTER county,
    ADD COLUMN township_code String AFTER region_code;

ALTER TABLE govreport.disclosure_cells
    ADD COLUMN township String AFTER county,
    ADD COLUMN township_code String AFTER region_code;

ALTER TABLE govreport.findings
    ADD COLUMN township String AFTER county,
    ADD COLUMN township_code String AFTER region_code;

ALTER TABLE govreport.raw_documents
    ADD COLUMN township String AFTER county,
    ADD COLUMN township_code String AFTER region_code;

ALTER TABLE govreport.alerts
    ADD COLUMN township String AFTER county,
    ADD COLUMN township_code String AFTER region_code;

ALTER TABLE govreport.alerts
    ADD COLUMN alert_key String AFTER alert_id,
    ADD COLUMN scope String AFTER source_url,
    ADD COLUMN related_doc_ids Array(String) AFTER cell_values,
    ADD COLUMN related_urls Array(String) AFTER related_doc_ids,
    ADD COLUMN evidence String AFTER related_urls;

CREATE TABLE IF NOT EXISTS govreport.divisions (
    code String,
    stat_code String,
    name String,
    full_name String,
    level String,
    parent_code String,
    province String,
    city String,
    county String,
    township String,
    province_code String,
    city_code String,
    county_code String,
    is_grouping UInt8,
    is_zone UInt8,
    is_city_itself UInt8,
    edition UInt16,
    version UInt64
) ENGINE = ReplacingMergeTree(version) ORDER BY (stat_code);

DROP TABLE IF EXISTS govreport.reports_current;

CREATE VIEW IF NOT EXISTS govreport.reports_current AS
SELECT
    doc_id, version, schema_version, parser_version, extracted_at, source_url, site, body,
    title, year, level, division_level, department, zone, province, city, county, township,
    region_code, township_code, region_confidence, region_reason, template, published_date,
    fetched_at, content_sha256, site_id_code, confidence, findings_errors, findings_total,
    record
FROM govreport.reports FINAL;

DROP TABLE IF EXISTS govreport.application_cells_current;

CREATE VIEW IF NOT EXISTS govreport.application_cells_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, township, region_code,
    township_code, template, row, col, state, value, raw, by_position, src
FROM govreport.application_cells FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM govreport.reports FINAL);

DROP TABLE IF EXISTS govreport.review_cells_current;

CREATE VIEW IF NOT EXISTS govreport.review_cells_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, township, region_code,
    township_code, template, review_group, outcome, state, value, raw, by_position, src
FROM govreport.review_cells FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM govreport.reports FINAL);

DROP TABLE IF EXISTS govreport.disclosure_cells_current;

CREATE VIEW IF NOT EXISTS govreport.disclosure_cells_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, township, region_code,
    township_code, template, item, metric, state, value, unit, raw, by_position, src
FROM govreport.disclosure_cells FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM govreport.reports FINAL);

DROP TABLE IF EXISTS govreport.findings_current;

CREATE VIEW IF NOT EXISTS govreport.findings_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, township, region_code,
    township_code, rule, severity, status, scope, seq, cells, lhs, rhs, blank_as_zero,
    unassessable, message
FROM govreport.findings FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM govreport.reports FINAL);

DROP TABLE IF EXISTS govreport.raw_documents_current;

CREATE VIEW IF NOT EXISTS govreport.raw_documents_current AS
SELECT
    doc_id, version, url, site, kind, fetched_at, content_sha256, size, status, reason,
    detail, parser_version, province, city, county, township, region_code, township_code
FROM govreport.raw_documents FINAL;

DROP TABLE IF EXISTS govreport.alerts_current;

CREATE VIEW IF NOT EXISTS govreport.alerts_current AS
SELECT
    alert_id, alert_key, version, rule, severity, status, doc_id, body, year, level,
    province, city, county, township, region_code, township_code, source_url, scope, cells,
    cell_values, related_doc_ids, related_urls, evidence, message_zh, message_en,
    raised_at, resolved_at
FROM govreport.alerts FINAL;

DROP TABLE IF EXISTS govreport.reports_primary;

CREATE VIEW IF NOT EXISTS govreport.reports_primary AS
SELECT
    doc_id, version, body, year, level, division_level, department, zone, province, city,
    county, township, region_code, township_code, region_confidence, template, site,
    source_url, published_date, confidence, findings_errors, findings_total
FROM govreport.reports FINAL
WHERE doc_id IN (
    SELECT argMin(doc_id, (-confidence, findings_errors, doc_id))
    FROM govreport.reports FINAL
    GROUP BY body, year, if(body = '' OR year = 0, doc_id, '')
);

CREATE VIEW IF NOT EXISTS govreport.divisions_current AS
SELECT
    code, stat_code, name, full_name, level, parent_code, province, city, county,
    township, province_code, city_code, county_code, is_grouping, is_zone,
    is_city_itself, edition
FROM govreport.divisions FINAL;

CREATE VIEW IF NOT EXISTS govreport.reports_by_region AS
SELECT
    province, city, county, region_code, year, reports, bodies, government_reports,
    department_reports, township_reports, townships_reporting, coded_reports,
    reports_with_errors, mean_confidence, received, processed, granted
FROM (
    SELECT
        province, city, county, region_code, year,
        count() AS reports,
        uniqExact(body) AS bodies,
        countIf(has(['national', 'province', 'city', 'county'], level)) AS government_reports,
        countIf(level = 'department') AS department_reports,
        countIf(level = 'township') AS township_reports,
        uniqExactIf(township_code, township_code != '') AS townships_reporting,
        countIf(region_code != '') AS coded_reports,
        countIf(findings_errors > 0) AS reports_with_errors,
        avg(confidence) AS mean_confidence
    FROM govreport.reports_primary
    GROUP BY province, city, county, region_code, year
) AS r
ANY LEFT JOIN (
    SELECT
        province, city, county, region_code, year,
        sum(received) AS received,
        sum(total_processed) AS processed,
        sum(granted) AS granted
    FROM govreport.applications_by_report
    GROUP BY province, city, county, region_code, year
) AS a USING (province, city, county, region_code, year);

