// Package chdbtest runs SQL on a current ClickHouse engine for the tests that prove
// the schema and every shipped query work on current releases as well as on the
// 18.16 server CI installs.
//
// The engine is chDB: the npm package `chdb` ships a full current ClickHouse as a
// library (libchdb.so), driven here by a small Node script (runner.js, embedded)
// in a session directory of the test's own. Install it once with
//
//	npm install --prefix "$HOME/.cache/govreport/chdb" chdb@3.4.0
//
// or point GOVREPORT_CHDB_DIR at another --prefix. Tests that need it skip when it
// is missing, and fail instead when GOVREPORT_REQUIRE_CHDB=1 (as in CI).
package chdbtest
