// Package chtest starts real clickhouse-servers for tests: one per test with Start,
// or one per test binary with Main and Shared, and gives every test its own
// database with Database. StartShards starts several servers that form one cluster
// of shards, for Distributed tables.
//
// When no clickhouse-server binary is installed, tests are skipped with the install
// hint, unless the environment sets GOVREPORT_REQUIRE_CLICKHOUSE=1, in which case
// they fail.
package chtest
