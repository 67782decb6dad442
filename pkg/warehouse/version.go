package warehouse

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Version is a ClickHouse server version, e.g. 18.16.1 or 24.8.4.13.
type Version struct {
	Major, Minor, Patch int
	// Raw is the version string as the server gave it.
	Raw string
}

// AtLeast reports whether v is major.minor or later.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

// String returns the version as the server gave it.
func (v Version) String() string { return v.Raw }

// ParseVersion parses a version() string: at least major.minor, then optional
// numeric parts; anything after the first part that is not a number is ignored.
func ParseVersion(s string) (Version, error) {
	v := Version{Raw: s}
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) < 2 {
		return v, fmt.Errorf("clickhouse version %q: want major.minor[.patch…]", s)
	}
	nums := []*int{&v.Major, &v.Minor, &v.Patch}
	for i, p := range parts {
		if i >= len(nums) {
			break
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			if i >= 2 {
				break
			}
			return v, fmt.Errorf("clickhouse version %q: part %q is not a number", s, p)
		}
		*nums[i] = n
	}
	return v, nil
}

// ServerVersion asks the server for its version.
func ServerVersion(ctx context.Context, conn driver.Conn) (Version, error) {
	var s string
	if err := conn.QueryRow(ctx, "SELECT version()").Scan(&s); err != nil {
		return Version{}, fmt.Errorf("server version: %w", err)
	}
	return ParseVersion(s)
}
