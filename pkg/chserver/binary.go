package chserver

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNotFound is returned (wrapped) by Start when no clickhouse-server binary is
// available.
var ErrNotFound = errors.New("clickhouse-server not found: install Debian's clickhouse-server package (apt-get install clickhouse-server)")

// candidates are tried in order by FindBinary.
var candidates = []string{"clickhouse-server", "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server", "clickhouse", "/usr/bin/clickhouse"}

// FindBinary returns the first clickhouse-server found: clickhouse-server in PATH,
// /usr/sbin/clickhouse-server, then a `clickhouse` multi-binary. It returns "" when
// there is none.
func FindBinary() string {
	for _, c := range candidates {
		if p, err := resolveBinary(c); err == nil {
			return p
		}
	}
	return ""
}

// resolveBinary turns a configured binary into an executable path.
func resolveBinary(bin string) (string, error) {
	if bin == "" {
		return "", ErrNotFound
	}
	if !strings.Contains(bin, "/") {
		p, err := exec.LookPath(bin)
		if err != nil {
			return "", fmt.Errorf("%w (%s is not in PATH)", ErrNotFound, bin)
		}
		return p, nil
	}
	st, err := os.Stat(bin)
	if err != nil {
		return "", fmt.Errorf("%w (%v)", ErrNotFound, err)
	}
	if st.IsDir() || st.Mode()&0o111 == 0 {
		return "", fmt.Errorf("%w (%s is not an executable file)", ErrNotFound, bin)
	}
	return bin, nil
}

// serverArgs returns the arguments that start the server with a config file: a
// `clickhouse` multi-binary needs the `server` mode first.
func serverArgs(bin, configFile string) []string {
	args := []string{"--config-file=" + configFile}
	if filepath.Base(bin) == "clickhouse" {
		args = append([]string{"server"}, args...)
	}
	return args
}
