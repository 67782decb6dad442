package warehouse

import (
	"fmt"
	"github.com/govreport/govreport/pkg/warehouse/chdbtest"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// httpQuery runs a query over a server's HTTP interface (plain queries work there
// on 18.16, unlike clickhouse-go's HTTP protocol) and returns its output.
func httpQuery(addr, user, password, database, query string) (string, error) {
	u := url.URL{Scheme: "http", Host: addr, Path: "/"}
	q := url.Values{"database": {database}}
	if user != "" {
		q.Set("user", user)
		q.Set("password", password)
	}
	u.RawQuery = q.Encode()
	resp, err := http.Post(u.String(), "text/plain", strings.NewReader(query))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	return string(b), nil
}

// sameTSV compares two TSV outputs (see chdbtest.SameTSV).
func sameTSV(got, want string) error { return chdbtest.SameTSV(got, want) }

func TestSameTSV(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"a\t1\nb\t2\n", "b\t2\na\t1\n", true},
		{"a\t0.30000000000000004\n", "a\t0.3\n", true},
		{"a\t0.31\n", "a\t0.3\n", false},
		{"a\t1\n", "a\t1\nb\t2\n", false},
		{"a\t\\N\n", "a\t0\n", false},
		{"", "", true},
	}
	for _, tt := range tests {
		if err := sameTSV(tt.a, tt.b); (err == nil) != tt.same {
			t.Errorf("sameTSV(%q, %q) = %v", tt.a, tt.b, err)
		}
	}
}
