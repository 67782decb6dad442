package schedule

import (
	"fmt"
	"time"
	_ "time/tzdata" // Asia/Shanghai wherever the binary runs
)

// Config says when sites are crawled.
type Config struct {
	// Specs are cron specs (minute hour day-of-month month day-of-week); a site is
	// due whenever one fires. H, or H(a-b), in a field is a value derived from the
	// site's ID, which spreads the sites.
	Specs []string `yaml:"specs"`
	// Timezone the specs are read in.
	Timezone string `yaml:"timezone"`
}

// DefaultConfig crawls each site once a night between 00:00 and 05:59 China time
// from January to March, and once a week (on a night of its own) otherwise.
func DefaultConfig() Config {
	return Config{
		Specs:    []string{"H H(0-5) * 1-3 *", "H H(0-5) * 4-12 H"},
		Timezone: "Asia/Shanghai",
	}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if len(c.Specs) == 0 {
		return fmt.Errorf("crawler.schedule.specs: at least one cron spec is needed")
	}
	for _, s := range c.Specs {
		if _, err := Parse(s, "validate"); err != nil {
			return fmt.Errorf("crawler.schedule.specs: %w", err)
		}
	}
	if _, err := c.location(); err != nil {
		return err
	}
	return nil
}

func (c *Config) location() (*time.Location, error) {
	if c.Timezone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return nil, fmt.Errorf("crawler.schedule.timezone: %w", err)
	}
	return loc, nil
}
