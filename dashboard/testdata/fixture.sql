-- A small warehouse for the dashboard's handler tests: six report documents of five
-- bodies in three provinces over two years (d6 is a second copy of d3 on another
-- portal, with lower confidence: reports_primary must drop it), their section 三 and
-- 四 cells, findings, alerts and raw documents. The expected figures are in
-- fixture_test.go; change both together.

INSERT INTO ${database}.reports (doc_id, version, schema_version, parser_version, extracted_at, source_url, site, body, title, year, level, province, city, county, township, region_code, township_code, template, fetched_at, content_sha256, confidence, findings_errors, findings_total, record)
VALUES
('d1', 1, 1, 'test', '2024-02-01 10:00:00', 'http://bj.example/2022.html', 'bj', '北京市人民政府', '北京市人民政府2022年政府信息公开工作年度报告', 2022, 'province', '北京市', '', '', '', '110000', '', '2021', '2024-02-01 09:00:00', 'sha-d1', 1, 0, 4, '{"meta":{"doc_id":"d1"}}'),
('d2', 1, 1, 'test', '2024-02-01 10:00:00', 'http://bj.example/2023.html', 'bj', '北京市人民政府', '北京市人民政府2023年政府信息公开工作年度报告', 2023, 'province', '北京市', '', '', '', '110000', '', '2021', '2024-02-01 09:00:00', 'sha-d2', 1, 0, 4, '{"meta":{"doc_id":"d2"}}'),
('d3', 1, 1, 'test', '2024-02-01 10:00:00', 'http://hb.example/sjz-2023.html', 'hb', '石家庄市人民政府', '石家庄市人民政府2023年政府信息公开工作年度报告', 2023, 'city', '河北省', '石家庄市', '', '', '130100', '', '2021', '2024-02-01 09:00:00', 'sha-d3', 1, 0, 4, '{"meta":{"doc_id":"d3"}}'),
('d4', 1, 1, 'test', '2024-02-01 10:00:00', 'http://hb.example/caz-2023.html', 'hb', '石家庄市长安区人民政府', '长安区2023年政府信息公开工作年度报告', 2023, 'county', '河北省', '石家庄市', '长安区', '', '130102', '', '2021', '2024-02-01 09:00:00', 'sha-d4', 0.9, 1, 4, '{"meta":{"doc_id":"d4"}}'),
('d5', 1, 1, 'test', '2024-02-01 10:00:00', 'http://jl.example/clk-2023.html', 'jl', '德惠市岔路口镇人民政府', '岔路口镇2023年政府信息公开工作年度报告', 2023, 'township', '吉林省', '长春市', '德惠市', '岔路口镇', '220183', '220183105', '2021', '2024-02-01 09:00:00', 'sha-d5', 1, 0, 4, '{"meta":{"doc_id":"d5"}}'),
('d6', 1, 1, 'test', '2024-02-01 10:00:00', 'http://mirror.example/sjz-2023.html', 'mirror', '石家庄市人民政府', '石家庄市人民政府2023年政府信息公开工作年度报告（转载）', 2023, 'city', '河北省', '石家庄市', '', '', '130100', '', '2021', '2024-02-01 09:00:00', 'sha-d6', 0.5, 0, 4, '{"meta":{"doc_id":"d6"}}');

INSERT INTO ${database}.application_cells (doc_id, version, body, year, level, province, city, county, region_code, template, row, col, state, value, raw, by_position, src)
VALUES
('d1', 1, '北京市人民政府', 2022, 'province', '北京市', '', '', '110000', '2021', 'new_received', 'total', 'number', 100, '100', 0, ''),
('d1', 1, '北京市人民政府', 2022, 'province', '北京市', '', '', '110000', '2021', 'granted', 'total', 'number', 60, '60', 0, ''),
('d1', 1, '北京市人民政府', 2022, 'province', '北京市', '', '', '110000', '2021', 'partially_granted', 'total', 'number', 20, '20', 0, ''),
('d1', 1, '北京市人民政府', 2022, 'province', '北京市', '', '', '110000', '2021', 'withheld.state_secret', 'total', 'number', 10, '10', 0, ''),
('d1', 1, '北京市人民政府', 2022, 'province', '北京市', '', '', '110000', '2021', 'total', 'total', 'number', 90, '90', 0, ''),
('d2', 1, '北京市人民政府', 2023, 'province', '北京市', '', '', '110000', '2021', 'new_received', 'total', 'number', 120, '120', 0, ''),
('d2', 1, '北京市人民政府', 2023, 'province', '北京市', '', '', '110000', '2021', 'granted', 'total', 'number', 70, '70', 0, ''),
('d2', 1, '北京市人民政府', 2023, 'province', '北京市', '', '', '110000', '2021', 'partially_granted', 'total', 'number', 30, '30', 0, ''),
('d2', 1, '北京市人民政府', 2023, 'province', '北京市', '', '', '110000', '2021', 'total', 'total', 'number', 100, '100', 0, ''),
('d3', 1, '石家庄市人民政府', 2023, 'city', '河北省', '石家庄市', '', '130100', '2021', 'new_received', 'total', 'number', 50, '50', 0, ''),
('d3', 1, '石家庄市人民政府', 2023, 'city', '河北省', '石家庄市', '', '130100', '2021', 'granted', 'total', 'number', 40, '40', 0, ''),
('d3', 1, '石家庄市人民政府', 2023, 'city', '河北省', '石家庄市', '', '130100', '2021', 'total', 'total', 'number', 40, '40', 0, ''),
('d4', 1, '石家庄市长安区人民政府', 2023, 'county', '河北省', '石家庄市', '长安区', '130102', '2021', 'new_received', 'natural_person', 'number', 7, '7', 0, ''),
('d4', 1, '石家庄市长安区人民政府', 2023, 'county', '河北省', '石家庄市', '长安区', '130102', '2021', 'new_received', 'commercial', 'blank', NULL, '', 0, ''),
('d4', 1, '石家庄市长安区人民政府', 2023, 'county', '河北省', '石家庄市', '长安区', '130102', '2021', 'new_received', 'total', 'number', 10, '10', 0, ''),
('d4', 1, '石家庄市长安区人民政府', 2023, 'county', '河北省', '石家庄市', '长安区', '130102', '2021', 'granted', 'total', 'number', 5, '5', 1, ''),
('d4', 1, '石家庄市长安区人民政府', 2023, 'county', '河北省', '石家庄市', '长安区', '130102', '2021', 'unable.not_held', 'total', 'text', NULL, '无', 0, ''),
('d4', 1, '石家庄市长安区人民政府', 2023, 'county', '河北省', '石家庄市', '长安区', '130102', '2021', 'total', 'total', 'number', 5, '5', 0, ''),
('d4', 1, '石家庄市长安区人民政府', 2023, 'county', '河北省', '石家庄市', '长安区', '130102', '2021', 'carried_forward', 'total', 'missing', NULL, '', 0, ''),
('d5', 1, '德惠市岔路口镇人民政府', 2023, 'township', '吉林省', '长春市', '德惠市', '220183', '2021', 'new_received', 'total', 'number', 3, '3', 0, ''),
('d5', 1, '德惠市岔路口镇人民政府', 2023, 'township', '吉林省', '长春市', '德惠市', '220183', '2021', 'granted', 'total', 'number', 3, '3', 0, ''),
('d5', 1, '德惠市岔路口镇人民政府', 2023, 'township', '吉林省', '长春市', '德惠市', '220183', '2021', 'total', 'total', 'number', 3, '3', 0, ''),
('d6', 1, '石家庄市人民政府', 2023, 'city', '河北省', '石家庄市', '', '130100', '2021', 'new_received', 'total', 'number', 999, '999', 0, ''),
('d6', 1, '石家庄市人民政府', 2023, 'city', '河北省', '石家庄市', '', '130100', '2021', 'total', 'total', 'number', 999, '999', 0, '');

INSERT INTO ${database}.review_cells (doc_id, version, body, year, level, province, city, county, region_code, template, review_group, outcome, state, value, raw, by_position, src)
VALUES
('d1', 1, '北京市人民政府', 2022, 'province', '北京市', '', '', '110000', '2021', 'review', 'upheld', 'number', 3, '3', 0, ''),
('d1', 1, '北京市人民政府', 2022, 'province', '北京市', '', '', '110000', '2021', 'review', 'corrected', 'number', 1, '1', 0, ''),
('d1', 1, '北京市人民政府', 2022, 'province', '北京市', '', '', '110000', '2021', 'review', 'total', 'number', 4, '4', 0, ''),
('d2', 1, '北京市人民政府', 2023, 'province', '北京市', '', '', '110000', '2021', 'review', 'upheld', 'number', 4, '4', 0, ''),
('d2', 1, '北京市人民政府', 2023, 'province', '北京市', '', '', '110000', '2021', 'review', 'corrected', 'number', 1, '1', 0, ''),
('d2', 1, '北京市人民政府', 2023, 'province', '北京市', '', '', '110000', '2021', 'review', 'pending', 'number', 1, '1', 0, ''),
('d2', 1, '北京市人民政府', 2023, 'province', '北京市', '', '', '110000', '2021', 'review', 'total', 'number', 6, '6', 0, ''),
('d2', 1, '北京市人民政府', 2023, 'province', '北京市', '', '', '110000', '2021', 'litigation_direct', 'upheld', 'number', 2, '2', 0, ''),
('d2', 1, '北京市人民政府', 2023, 'province', '北京市', '', '', '110000', '2021', 'litigation_direct', 'corrected', 'number', 2, '2', 0, ''),
('d2', 1, '北京市人民政府', 2023, 'province', '北京市', '', '', '110000', '2021', 'litigation_direct', 'total', 'number', 4, '4', 0, ''),
('d3', 1, '石家庄市人民政府', 2023, 'city', '河北省', '石家庄市', '', '130100', '2021', 'review', 'upheld', 'number', 1, '1', 0, ''),
('d3', 1, '石家庄市人民政府', 2023, 'city', '河北省', '石家庄市', '', '130100', '2021', 'review', 'corrected', 'number', 1, '1', 0, ''),
('d3', 1, '石家庄市人民政府', 2023, 'city', '河北省', '石家庄市', '', '130100', '2021', 'review', 'total', 'number', 2, '2', 0, '');

INSERT INTO ${database}.findings (doc_id, version, body, year, level, province, city, county, region_code, rule, severity, status, scope, seq, cells, lhs, rhs, blank_as_zero, unassessable, message)
VALUES
('d4', 1, '石家庄市长安区人民政府', 2023, 'county', '河北省', '石家庄市', '长安区', '130102', 'R1', 'error', 'violated', 'row:new_received', 0, ['new_received.natural_person', 'new_received.commercial', 'new_received.total'], 7, 10, ['new_received.commercial'], [], 'new_received: the applicant columns sum to 7 but 总计 is 10'),
('d4', 1, '石家庄市长安区人民政府', 2023, 'county', '河北省', '石家庄市', '长安区', '130102', 'R3', 'error', 'unassessable', 'col:total', 1, ['unable.not_held.total', 'total.total'], 0, 0, [], ['unable.not_held.total'], 'total: a text cell stops the check'),
('d2', 1, '北京市人民政府', 2023, 'province', '北京市', '', '', '110000', 'R1', 'error', 'ok', 'row:new_received', 0, ['new_received.total'], 0, 0, [], [], '');

INSERT INTO ${database}.alerts (alert_id, version, rule, severity, status, doc_id, body, year, level, province, city, county, region_code, source_url, cells, cell_values, message_zh, message_en, raised_at, resolved_at, alert_key, scope)
VALUES
('a1', 1, 'R1', 'error', 'open', 'd4', '石家庄市长安区人民政府', 2023, 'county', '河北省', '石家庄市', '长安区', '130102', 'http://hb.example/caz-2023.html', ['new_received.natural_person', 'new_received.total'], ['7', '10'], '各类申请人之和为7，总计为10。', 'The applicant columns sum to 7, the total is 10.', '2024-02-01 11:00:00', NULL, 'R1/d4/row:new_received', 'doc:d4'),
('a2', 1, 'jump', 'warning', 'open', 'd2', '北京市人民政府', 2023, 'province', '北京市', '', '', '110000', 'http://bj.example/2023.html', ['new_received.total'], ['120'], '申请数较往年中位数跃升。', 'Requests jumped against the median of earlier years.', '2024-02-02 11:00:00', NULL, 'jump/2023/北京市人民政府', 'cross:jump:2023'),
('a3', 2, 'R3', 'error', 'resolved', 'd1', '北京市人民政府', 2022, 'province', '北京市', '', '', '110000', 'http://bj.example/2022.html', [], [], '已修正。', 'Fixed.', '2024-01-20 11:00:00', '2024-01-25 11:00:00', 'R3/d1/col:total', 'doc:d1');

INSERT INTO ${database}.raw_documents (doc_id, version, url, site, kind, fetched_at, content_sha256, size, status, reason, detail, parser_version, province, city, county, region_code)
VALUES
('d1', 1, 'http://bj.example/2022.html', 'bj', 'page', '2024-02-01 09:00:00', 'sha-d1', 20000, 'parsed', '', '', 'test', '北京市', '', '', '110000'),
('d2', 1, 'http://bj.example/2023.html', 'bj', 'page', '2024-02-01 09:00:00', 'sha-d2', 21000, 'parsed', '', '', 'test', '北京市', '', '', '110000'),
('d3', 1, 'http://hb.example/sjz-2023.html', 'hb', 'page', '2024-02-01 09:00:00', 'sha-d3', 18000, 'parsed', '', '', 'test', '河北省', '石家庄市', '', '130100'),
('d4', 1, 'http://hb.example/caz-2023.html', 'hb', 'page', '2024-02-01 09:00:00', 'sha-d4', 17000, 'parsed', '', '', 'test', '河北省', '石家庄市', '长安区', '130102'),
('d5', 1, 'http://jl.example/clk-2023.html', 'jl', 'page', '2024-02-01 09:00:00', 'sha-d5', 9000, 'parsed', '', '', 'test', '吉林省', '长春市', '德惠市', '220183'),
('d6', 1, 'http://mirror.example/sjz-2023.html', 'mirror', 'page', '2024-02-01 09:00:00', 'sha-d6', 18000, 'parsed', '', '', 'test', '河北省', '石家庄市', '', '130100'),
('r1', 1, 'http://hb.example/notice.html', 'hb', 'page', '2024-02-01 09:00:00', 'sha-r1', 3000, 'rejected', 'not_report', 'no annual-report table', 'test', '河北省', '', '', ''),
('r2', 1, 'http://jl.example/scan.pdf', 'jl', 'attachment', '2024-02-01 09:00:00', 'sha-r2', 900000, 'rejected', 'unsupported', 'scanned PDF: no text layer (3 pages, 3 images)', 'test', '吉林省', '', '', '');
