-- 0003: regions. Every report is placed in the national divisions by pkg/regions
-- (the extractor records the division, its level and the evidence); this migration
-- gives the facts the township columns, the reports the placement's details, the
-- divisions table (the embedded statistics bureau edition, loaded by `govreport
-- migrate` and at pipeline start) and the views by region.
--
-- ALTER … ADD COLUMN has no IF NOT EXISTS on 18.16: the migration runner skips a
-- column that is already there, so a run interrupted half-way can be repeated.
-- Views that list their columns are dropped and created again with the new ones.

ALTER TABLE ${database}.reports
    ADD COLUMN division_level String AFTER level,
    ADD COLUMN department String AFTER division_level,
    ADD COLUMN zone String AFTER department,
    ADD COLUMN region_confidence Float32 AFTER township_code,
    ADD COLUMN region_reason String AFTER region_confidence;

ALTER TABLE ${database}.application_cells
    ADD COLUMN township String AFTER county,
    ADD COLUMN township_code String AFTER region_code;

ALTER TABLE ${database}.review_cells
    ADD COLUMN township String AFTER county,
    ADD COLUMN township_code String AFTER region_code;

ALTER TABLE ${database}.disclosure_cells
    ADD COLUMN township String AFTER county,
    ADD COLUMN township_code String AFTER region_code;

ALTER TABLE ${database}.findings
    ADD COLUMN township String AFTER county,
    ADD COLUMN township_code String AFTER region_code;

ALTER TABLE ${database}.raw_documents
    ADD COLUMN township String AFTER county,
    ADD COLUMN township_code String AFTER region_code;

ALTER TABLE ${database}.alerts
    ADD COLUMN township String AFTER county,
    ADD COLUMN township_code String AFTER region_code;

-- The alerts of cross-report rules: the key that a later alert replaces and a
-- resolution closes, the other documents involved and the figures computed.
ALTER TABLE ${database}.alerts
    ADD COLUMN alert_key String AFTER alert_id,
    ADD COLUMN scope String AFTER source_url,
    ADD COLUMN related_doc_ids Array(String) AFTER cell_values,
    ADD COLUMN related_urls Array(String) AFTER related_doc_ids,
    ADD COLUMN evidence String AFTER related_urls;
-- The national division table: provinces, cities, counties and townships with the
-- statistics bureau's codes. code is the 6-digit 行政区划代码 (220000, 220100, 220183)
-- or a township's 9-digit code; stat_code is the code as the bureau prints it at the
-- division's level (22, 2201, 220183, 220183105). province … township and their codes
-- place the division as reports are placed, so that a report's region_code (or
-- township_code) finds its division. is_grouping marks the bureau's groupings (市辖区,
-- 县, 省直辖县级行政区划), is_zone development zones and similar units with a
-- statistical code, is_city_itself the county row of a city without counties
-- (东莞市; its city row and county row share code 441900, so the key is stat_code).
-- version is the edition's year: a later edition replaces an earlier one.
CREATE TABLE IF NOT EXISTS ${database}.divisions (
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

DROP TABLE IF EXISTS ${database}.reports_current;

CREATE VIEW IF NOT EXISTS ${database}.reports_current AS
SELECT
    doc_id, version, schema_version, parser_version, extracted_at, source_url, site, body,
    title, year, level, division_level, department, zone, province, city, county, township,
    region_code, township_code, region_confidence, region_reason, template, published_date,
    fetched_at, content_sha256, site_id_code, confidence, findings_errors, findings_total,
    record
FROM ${database}.reports FINAL;

DROP TABLE IF EXISTS ${database}.application_cells_current;

CREATE VIEW IF NOT EXISTS ${database}.application_cells_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, township, region_code,
    township_code, template, row, col, state, value, raw, by_position, src
FROM ${database}.application_cells FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM ${database}.reports FINAL);

DROP TABLE IF EXISTS ${database}.review_cells_current;

CREATE VIEW IF NOT EXISTS ${database}.review_cells_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, township, region_code,
    township_code, template, review_group, outcome, state, value, raw, by_position, src
FROM ${database}.review_cells FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM ${database}.reports FINAL);

DROP TABLE IF EXISTS ${database}.disclosure_cells_current;

CREATE VIEW IF NOT EXISTS ${database}.disclosure_cells_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, township, region_code,
    township_code, template, item, metric, state, value, unit, raw, by_position, src
FROM ${database}.disclosure_cells FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM ${database}.reports FINAL);

DROP TABLE IF EXISTS ${database}.findings_current;

CREATE VIEW IF NOT EXISTS ${database}.findings_current AS
SELECT
    doc_id, version, body, year, level, province, city, county, township, region_code,
    township_code, rule, severity, status, scope, seq, cells, lhs, rhs, blank_as_zero,
    unassessable, message
FROM ${database}.findings FINAL
WHERE (doc_id, version) IN (SELECT doc_id, version FROM ${database}.reports FINAL);

DROP TABLE IF EXISTS ${database}.raw_documents_current;

CREATE VIEW IF NOT EXISTS ${database}.raw_documents_current AS
SELECT
    doc_id, version, url, site, kind, fetched_at, content_sha256, size, status, reason,
    detail, parser_version, province, city, county, township, region_code, township_code
FROM ${database}.raw_documents FINAL;

DROP TABLE IF EXISTS ${database}.alerts_current;

CREATE VIEW IF NOT EXISTS ${database}.alerts_current AS
SELECT
    alert_id, alert_key, version, rule, severity, status, doc_id, body, year, level,
    province, city, county, township, region_code, township_code, source_url, scope, cells,
    cell_values, related_doc_ids, related_urls, evidence, message_zh, message_en,
    raised_at, resolved_at
FROM ${database}.alerts FINAL;

DROP TABLE IF EXISTS ${database}.reports_primary;

-- As in 0002, with the placement's columns.
CREATE VIEW IF NOT EXISTS ${database}.reports_primary AS
SELECT
    doc_id, version, body, year, level, division_level, department, zone, province, city,
    county, township, region_code, township_code, region_confidence, template, site,
    source_url, published_date, confidence, findings_errors, findings_total
FROM ${database}.reports FINAL
WHERE doc_id IN (
    SELECT argMin(doc_id, (-confidence, findings_errors, doc_id))
    FROM ${database}.reports FINAL
    GROUP BY body, year, if(body = '' OR year = 0, doc_id, '')
);

-- The current division table (one row per code, the latest edition loaded).
CREATE VIEW IF NOT EXISTS ${database}.divisions_current AS
SELECT
    code, stat_code, name, full_name, level, parent_code, province, city, county,
    township, province_code, city_code, county_code, is_grouping, is_zone,
    is_city_itself, edition
FROM ${database}.divisions FINAL;

-- Reports by region and year, down to the county (a township's reports count in its
-- county; townships_reporting counts the distinct townships among them): primary
-- reports, publishing bodies, reports by the body's kind (governments of the
-- division, departments, townships), how many were placed with a code, reports with
-- an error finding, the mean extraction confidence, and section 三's totals
-- (本年新收, 办理结果总计, 予以公开) from applications_by_report. A body placed only at
-- province or city level has an empty county (or city).
CREATE VIEW IF NOT EXISTS ${database}.reports_by_region AS
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
    FROM ${database}.reports_primary
    GROUP BY province, city, county, region_code, year
) AS r
ANY LEFT JOIN (
    SELECT
        province, city, county, region_code, year,
        sum(received) AS received,
        sum(total_processed) AS processed,
        sum(granted) AS granted
    FROM ${database}.applications_by_report
    GROUP BY province, city, county, region_code, year
) AS a USING (province, city, county, region_code, year);
