// Package sites loads and validates the portal definitions in configs/sites/*.yaml:
// one entry per government portal with its region, the start URLs of its
// annual-report column, optional selectors and patterns, and politeness overrides.
package sites
