-- 0002: views for the questions analysts ask.
--
-- Built on the *_current views of 0001 (one current row per key). A report is a
-- (body, year): when the same report was posted on several portals, reports_primary
-- picks one copy and every view below counts only that copy. Values are the cells'
-- numbers with blank and text cells counted as 0 (the cell views keep the NULLs).
-- Application figures come from the 总计 (total) column unless a view says otherwise.
-- Rates are NULL when their denominator is 0.
--
-- Valid on ClickHouse 18.16 and current releases: no CTEs, window functions, range()
-- with two arguments, or more than one JOIN per query; an alias never names a column
-- that another expression of its query reads. The cluster variant (see
-- ClusterMigrations) turns every IN (SELECT …) into GLOBAL IN and every JOIN into a
-- GLOBAL JOIN, so keep subqueries in this form.

-- One report per (body, year): the copy with the highest confidence, then the fewest
-- error findings, then the smallest doc_id. A report with no body or no year is its
-- own group. copies is the number of copies of the report that were loaded.
CREATE VIEW IF NOT EXISTS ${database}.reports_primary AS
SELECT
    doc_id, version, body, year, level, province, city, county, township, region_code,
    township_code, template, site, source_url, published_date, confidence,
    findings_errors, findings_total
FROM ${database}.reports FINAL
WHERE doc_id IN (
    SELECT argMin(doc_id, (-confidence, findings_errors, doc_id))
    FROM ${database}.reports FINAL
    GROUP BY body, year, if(body = '' OR year = 0, doc_id, '')
);

-- Section 三 per report, one row per primary report with an application table:
-- received (本年新收), carried_over (上年结转), the outcomes (予以公开, 部分公开, 不予公开,
-- 无法提供, 不予处理, 其他处理 — the 2021 template's three 其他处理 rows when present, else
-- the 2019 row), total_processed (办理结果总计) and carried_forward (结转下年度).
CREATE VIEW IF NOT EXISTS ${database}.applications_by_report AS
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
FROM ${database}.application_cells_current
WHERE col = 'total' AND doc_id IN (SELECT doc_id FROM ${database}.reports_primary)
GROUP BY doc_id, body, year, level, province, city, county, region_code, template;

-- Applications by province, level and year: the sums of applications_by_report and
-- the share of processed requests granted in full (予以公开率).
CREATE VIEW IF NOT EXISTS ${database}.applications_by_region AS
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
FROM ${database}.applications_by_report
GROUP BY province, level, year;

-- Outcome shares by province, level and year: one row per outcome (granted,
-- partially_granted, withheld, unable, not_processed, other) with its cases and
-- its share of the processed requests (办理结果总计).
CREATE VIEW IF NOT EXISTS ${database}.outcome_shares AS
SELECT
    province, level, year, outcome, cases, processed,
    if(processed > 0, cases / processed, NULL) AS share
FROM (
    SELECT
        province, level, year,
        sum(total_processed) AS processed,
        ['granted', 'partially_granted', 'withheld', 'unable', 'not_processed', 'other'] AS outcomes,
        [sum(granted), sum(partially_granted), sum(withheld), sum(unable), sum(not_processed), sum(other_processed)] AS counts
    FROM ${database}.applications_by_report
    GROUP BY province, level, year
)
ARRAY JOIN outcomes AS outcome, counts AS cases;

-- The reasons within an outcome by province, level and year: 不予公开 (withheld.*) by
-- its eight reasons, 无法提供 (unable.*), 不予处理 (not_processed.*) and the 2021
-- template's 其他处理 (other.*); share is of the outcome's cases.
CREATE VIEW IF NOT EXISTS ${database}.outcome_reasons AS
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
        FROM ${database}.application_cells_current
        WHERE col = 'total' AND position(row, '.') > 0
            AND doc_id IN (SELECT doc_id FROM ${database}.reports_primary)
        GROUP BY province, level, year, outcome, row
    )
    GROUP BY province, level, year, outcome
)
ARRAY JOIN reasons AS reason, ns AS cases;

-- Who applies, by province, level and year: new requests (本年新收) per applicant type
-- and its share of the six types' sum.
CREATE VIEW IF NOT EXISTS ${database}.applicant_mix AS
SELECT
    province, level, year, applicant, requests, all_requests,
    if(all_requests > 0, requests / all_requests, NULL) AS share
FROM (
    SELECT province, level, year, groupArray(col) AS cols, groupArray(n) AS ns, sum(n) AS all_requests
    FROM (
        SELECT province, level, year, col, sum(ifNull(value, 0)) AS n
        FROM ${database}.application_cells_current
        WHERE row = 'new_received' AND col != 'total'
            AND doc_id IN (SELECT doc_id FROM ${database}.reports_primary)
        GROUP BY province, level, year, col
    )
    GROUP BY province, level, year
)
ARRAY JOIN cols AS applicant, ns AS requests;

-- Section 四 by province, level, year and group (review, litigation_direct,
-- litigation_after_review): the outcomes, decided = upheld + corrected + other, and
-- correction_rate = corrected / decided (纠错率: the share of decided cases in which
-- the body's decision was corrected).
CREATE VIEW IF NOT EXISTS ${database}.review_outcomes AS
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
FROM ${database}.review_cells_current
WHERE doc_id IN (SELECT doc_id FROM ${database}.reports_primary)
GROUP BY province, level, year, review_group;

-- Reports failing each rule by province, level and year: failing_reports have at
-- least one violated finding of the rule; reports counts every primary report of
-- the group, so share is the failure rate.
CREATE VIEW IF NOT EXISTS ${database}.rule_failures AS
SELECT
    province, level, year, rule, failing_reports, reports,
    if(reports > 0, failing_reports / reports, NULL) AS share
FROM (
    SELECT province, level, year, rule, uniqExact(doc_id) AS failing_reports
    FROM ${database}.findings_current
    WHERE status = 'violated' AND doc_id IN (SELECT doc_id FROM ${database}.reports_primary)
    GROUP BY province, level, year, rule
) AS f
ANY LEFT JOIN (
    SELECT province, level, year, count() AS reports
    FROM ${database}.reports_primary
    GROUP BY province, level, year
) AS r USING (province, level, year);

-- Bodies missing a report: one row per body and year from the year after its first
-- report up to the latest year in the warehouse for which it has no report. The
-- region and level are those of the body's latest report. (No lambdas: 18.16 drops
-- subquery columns that are read only inside one.)
CREATE VIEW IF NOT EXISTS ${database}.missing_reports AS
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
        (SELECT max(year) FROM ${database}.reports_primary) AS latest
    FROM ${database}.reports_primary
    WHERE body != '' AND year > 0
    GROUP BY body
)
ARRAY JOIN range(toUInt64(latest - first_year)) AS offset
WHERE NOT has(years, missing_year);
