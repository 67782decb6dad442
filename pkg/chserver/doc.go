// Package chserver runs a local clickhouse-server as a child process: the ClickHouse
// of `govreport run` when no DSN is configured, and of every test that needs one.
//
// Start writes its own config.xml and users.xml into the configured directory (data,
// temporary files, user files and logs all live under it), picks free loopback
// ports for the native and HTTP protocols, starts the server in its own process
// group and returns once it answers SELECT 1 over the native protocol. Stop sends
// SIGTERM, waits, and kills the whole process group after a deadline. The child is
// also started with a parent-death signal, so it never outlives the process that
// started it, even when that process is killed.
//
// Config.Clusters adds clusters to the server's remote_servers, so that servers
// started on fixed ports (see FreePorts and ErrPortInUse) can be the shards of one
// cluster for Distributed tables (chtest.StartShards does this for tests).
//
// The configuration written is valid for Debian's clickhouse-server 18.16 (which
// needs the <yandex> root element) and for current releases (which still accept it).
package chserver
