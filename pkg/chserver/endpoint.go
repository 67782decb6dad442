package chserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// endpointFile, in a server's Dir, says where the running server listens, so that
// a second process (`govreport sql` while `govreport run` serves) connects to it
// instead of starting another server on the same data, which ClickHouse refuses.
const endpointFile = "endpoint.json"

// Endpoint is where a running local server listens.
type Endpoint struct {
	// PID is the server's process ID.
	PID int `json:"pid"`
	// TCPAddr and HTTPAddr are host:port of the native protocol and HTTP interface.
	TCPAddr  string `json:"tcp"`
	HTTPAddr string `json:"http"`
}

func writeEndpoint(dir string, e Endpoint) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, endpointFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("write endpoint: %w", err)
	}
	return os.Rename(tmp, filepath.Join(dir, endpointFile))
}

func removeEndpoint(dir string) error {
	err := os.Remove(filepath.Join(dir, endpointFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// Running returns the endpoint of the server another process started in dir, if
// that process is still alive. A stale file (the process is gone) reports false.
func Running(dir string) (Endpoint, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Endpoint{}, false
	}
	b, err := os.ReadFile(filepath.Join(abs, endpointFile))
	if err != nil {
		return Endpoint{}, false
	}
	var e Endpoint
	if json.Unmarshal(b, &e) != nil || e.PID <= 0 || e.TCPAddr == "" {
		return Endpoint{}, false
	}
	if err := syscall.Kill(e.PID, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return Endpoint{}, false
	}
	return e, true
}
