package crawler

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	if os.Getenv(benchPortalEnv) != "" {
		os.Exit(servePortal())
	}
	os.Exit(m.Run())
}
