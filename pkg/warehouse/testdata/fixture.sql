-- A small deterministic data set for the schema tests: it runs unchanged on ClickHouse
-- 18.16 and on current releases (chDB), on one server and through the cluster
-- variant's Distributed tables, so that every view can be compared between them.
-- ${database} is replaced by the test database.
--
-- 30 reports of 8 bodies over 2019–2022 (bodies 6 and 7 have no 2022 report), 4
-- second copies of reports on another portal (other confidence and errors), one
-- report re-extracted (a newer version), one replayed, one with no body; their cells,
-- findings and raw documents; two alerts.

INSERT INTO ${database}.reports (doc_id, version, schema_version, parser_version, extracted_at, source_url, site, body, title, year, level, division_level, department, province, city, county, township, region_code, township_code, region_confidence, template, published_date, fetched_at, content_sha256, site_id_code, confidence, findings_errors, findings_total, record)
SELECT
    concat('d', toString(number)), 100 + number, 1, 'p1', toDateTime('2024-01-01 00:00:00', 'UTC'),
    concat('http://a.gov.cn/', toString(number)), 'a', if(number = 29, '', concat('body', toString(number % 8))),
    't', toUInt16(2019 + intDiv(number, 8)), ['county', 'township', 'department'][number % 3 + 1],
    ['county', 'township', 'county'][number % 3 + 1], ['', '', '发展和改革局'][number % 3 + 1],
    ['吉林省', '河北省'][number % 2 + 1], 'c', 'x', ['', ['岔路口镇', '夏家店街道'][number % 2 + 1], ''][number % 3 + 1], '220183',
    ['', ['220183105', '220183001'][number % 2 + 1], ''][number % 3 + 1], toFloat32(0.9), if(number >= 16, '2021', '2019'),
    toDate('2021-01-20'), toDateTime('2021-02-01 00:00:00', 'UTC'), '', '', toFloat32(0.5 + (number % 3) / 4), toUInt16(number % 2), toUInt16(number % 3), '{}'
FROM numbers(30);

-- Copies of d0–d3 on another portal: c0 wins on confidence, c1 loses on it; c2 ties
-- with d2 on confidence and errors and wins on its doc_id; c3 wins on errors.
INSERT INTO ${database}.reports (doc_id, version, schema_version, parser_version, extracted_at, source_url, site, body, title, year, level, province, city, county, township, region_code, township_code, template, published_date, fetched_at, content_sha256, site_id_code, confidence, findings_errors, findings_total, record)
SELECT
    concat('c', toString(number)), 100 + number, 1, 'p1', toDateTime('2024-01-01 00:00:00', 'UTC'),
    concat('http://b.gov.cn/', toString(number)), 'b', concat('body', toString(number % 8)),
    't', toUInt16(2019), ['county', 'township', 'department'][number % 3 + 1],
    ['吉林省', '河北省'][number % 2 + 1], 'c', 'x', '', '220183', '', '2019',
    NULL, toDateTime('2021-02-01 00:00:00', 'UTC'), '', '', toFloat32([1, 0.1, 1, 0.5][number + 1]), toUInt16(0), toUInt16(0), '{}'
FROM numbers(4);

-- d5 re-extracted by a newer parser (version 500): a province and year changed.
INSERT INTO ${database}.reports (doc_id, version, schema_version, parser_version, extracted_at, source_url, site, body, title, year, level, province, city, county, township, region_code, township_code, template, published_date, fetched_at, content_sha256, site_id_code, confidence, findings_errors, findings_total, record)
SELECT 'd5', 500, 1, 'p2', toDateTime('2024-02-01 00:00:00', 'UTC'), 'http://a.gov.cn/5', 'a', 'body5', 't', toUInt16(2020), 'township', '河北省', 'c', 'x', '', '220183', '', '2019', CAST(NULL AS Nullable(Date)), toDateTime('2021-02-01 00:00:00', 'UTC'), '', '', toFloat32(1), toUInt16(0), toUInt16(0), '{}';

INSERT INTO ${database}.application_cells (doc_id, version, body, year, level, province, city, county, region_code, template, row, col, state, value, raw, by_position, src)
SELECT
    doc_id, version, body, year, level, province, city, county, region_code, template, r,
    arrayJoin(['natural_person', 'commercial', 'research', 'total']) AS c,
    CAST(if(cityHash64(doc_id, r, c) % 9 = 0, 'blank', 'number') AS Enum8('number' = 1, 'blank' = 2, 'text' = 3, 'missing' = 4)),
    if(cityHash64(doc_id, r, c) % 9 = 0, CAST(NULL AS Nullable(Int64)), toNullable(toInt64(cityHash64(doc_id, r, c) % 40))),
    '', toUInt8(0), ''
FROM ${database}.reports FINAL
ARRAY JOIN ['new_received', 'carried_over', 'granted', 'partially_granted', 'withheld.state_secret', 'withheld.process_info',
    'unable.not_held', 'unable.needs_creation', 'not_processed.duplicate', 'other', 'other.no_correction', 'other.other',
    'total', 'carried_forward'] AS r
WHERE NOT (template = '2019' AND startsWith(r, 'other.')) AND NOT (template = '2021' AND r = 'other');

INSERT INTO ${database}.review_cells (doc_id, version, body, year, level, province, city, county, region_code, template, review_group, outcome, state, value, raw, by_position, src)
SELECT
    doc_id, version, body, year, level, province, city, county, region_code, template, g,
    arrayJoin(['upheld', 'corrected', 'other', 'pending', 'total']) AS o,
    CAST('number' AS Enum8('number' = 1, 'blank' = 2, 'text' = 3, 'missing' = 4)),
    toNullable(toInt64(cityHash64(doc_id, g, o) % 4)), '', toUInt8(0), ''
FROM ${database}.reports FINAL
ARRAY JOIN ['review', 'litigation_direct', 'litigation_after_review'] AS g;

INSERT INTO ${database}.disclosure_cells (doc_id, version, body, year, level, province, city, county, region_code, template, item, metric, state, value, unit, raw, by_position, src)
SELECT
    doc_id, version, body, year, level, province, city, county, region_code, template, 'fees', 'amount',
    CAST('number' AS Enum8('number' = 1, 'blank' = 2, 'text' = 3, 'missing' = 4)),
    toNullable(toFloat64(cityHash64(doc_id) % 1000) * 10000), 'wan', '', toUInt8(0), ''
FROM ${database}.reports FINAL;

INSERT INTO ${database}.findings (doc_id, version, body, year, level, province, city, county, region_code, rule, severity, status, scope, seq, cells, lhs, rhs, blank_as_zero, unassessable, message)
SELECT
    doc_id, version, body, year, level, province, city, county, region_code, ru,
    if(ru = 'text_cell', 'warning', 'error'), if(ru = 'text_cell', 'flagged', 'violated'), 'total', toUInt16(0),
    ['total.total'], 1, 2, emptyArrayString(), emptyArrayString(), 'm'
FROM ${database}.reports FINAL
ARRAY JOIN ['R1', 'R3', 'R4', 'text_cell'] AS ru
WHERE cityHash64(doc_id, ru) % 3 = 0;

INSERT INTO ${database}.raw_documents (doc_id, version, url, site, kind, fetched_at, content_sha256, size, status, reason, detail, parser_version, province, city, county, region_code)
SELECT doc_id, version, source_url, site, 'page', fetched_at, '', toUInt64(1000), CAST('parsed' AS Enum8('parsed' = 1, 'rejected' = 2)), '', '', parser_version, province, city, county, region_code
FROM ${database}.reports FINAL;

-- A replay of d7 (the same version again) and a late replay of d5's older version.
INSERT INTO ${database}.reports (doc_id, version, schema_version, parser_version, extracted_at, source_url, site, body, title, year, level, province, city, county, township, region_code, township_code, template, published_date, fetched_at, content_sha256, site_id_code, confidence, findings_errors, findings_total, record)
SELECT doc_id, version, schema_version, parser_version, extracted_at, source_url, site, body, title, year, level, province, city, county, township, region_code, township_code, template, published_date, fetched_at, content_sha256, site_id_code, confidence, findings_errors, findings_total, record
FROM ${database}.reports FINAL WHERE doc_id = 'd7';

INSERT INTO ${database}.reports (doc_id, version, schema_version, parser_version, extracted_at, source_url, site, body, title, year, level, province, city, county, township, region_code, township_code, template, published_date, fetched_at, content_sha256, site_id_code, confidence, findings_errors, findings_total, record)
SELECT 'd5', 105, 1, 'p1', toDateTime('2024-01-01 00:00:00', 'UTC'), 'http://a.gov.cn/5', 'a', 'body5', 't', toUInt16(2019), 'department', '河北省', 'c', 'x', '', '220183', '', '2019', CAST(NULL AS Nullable(Date)), toDateTime('2021-02-01 00:00:00', 'UTC'), '', '', toFloat32(0.5), toUInt16(1), toUInt16(1), '{}';

INSERT INTO ${database}.alerts (alert_id, version, rule, severity, status, doc_id, body, year, level, province, city, county, region_code, source_url, cells, cell_values, message_zh, message_en, raised_at, resolved_at)
SELECT 'a1', toUInt64(1 + number), 'R1', 'error', CAST(if(number = 0, 'resolved', 'open') AS Enum8('open' = 1, 'resolved' = 2)), 'd1', 'body1', toUInt16(2019), 'county', '河北省', 'c', 'x', '220183', 'u', ['total.total'], ['0'], 'z', 'e',
    toDateTime('2024-01-01 00:00:00', 'UTC'), if(number = 0, toDateTime('2024-01-02 00:00:00', 'UTC'), NULL)
FROM numbers(2);

-- Part of the division table (migration 0003): a province, a city, a county and two
-- of its townships.
INSERT INTO ${database}.divisions (code, stat_code, name, full_name, level, parent_code, province, city, county, township, province_code, city_code, county_code, is_grouping, is_zone, is_city_itself, edition, version)
SELECT d.1, d.2, d.3, d.4, d.5, d.6, d.7, d.8, d.9, d.10, d.11, d.12, d.13, toUInt8(d.14), toUInt8(d.15), toUInt8(d.16), toUInt16(d.17), toUInt64(d.18)
FROM (SELECT arrayJoin([
    ('220000', '22', '吉林省', '吉林省', 'province', '', '吉林省', '', '', '', '220000', '', '', 0, 0, 0, 2023, 2023),
    ('220100', '2201', '长春市', '吉林省长春市', 'city', '220000', '吉林省', '长春市', '', '', '220000', '220100', '', 0, 0, 0, 2023, 2023),
    ('220183', '220183', '德惠市', '吉林省长春市德惠市', 'county', '220100', '吉林省', '长春市', '德惠市', '', '220000', '220100', '220183', 0, 0, 0, 2023, 2023),
    ('220183105', '220183105', '岔路口镇', '吉林省长春市德惠市岔路口镇', 'township', '220183', '吉林省', '长春市', '德惠市', '岔路口镇', '220000', '220100', '220183', 0, 0, 0, 2023, 2023),
    ('220183001', '220183001', '胜利街道', '吉林省长春市德惠市胜利街道', 'township', '220183', '吉林省', '长春市', '德惠市', '胜利街道', '220000', '220100', '220183', 0, 0, 0, 2023, 2023)
]) AS d);
