package sampleportal

import (
	"math"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestDefaultConfigIsValid(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   string // substring of the error; "" for valid
	}{
		{"default", func(*Config) {}, ""},
		{"one site one report", func(c *Config) { c.Sites, c.ReportsPerSite, c.Years = 1, 1, []int{2019} }, ""},
		{"every division", func(c *Config) { c.Sites = MaxSites() }, ""},
		{"no sites", func(c *Config) { c.Sites = 0 }, "sites must be between"},
		{"too many sites", func(c *Config) { c.Sites = MaxSites() + 1 }, "sites must be between"},
		{"no years", func(c *Config) { c.Years = nil }, "years is empty"},
		{"legacy year", func(c *Config) { c.Years = []int{2018} }, "outside"},
		{"duplicate year", func(c *Config) { c.Years = []int{2021, 2022, 2021} }, "listed twice"},
		{"no reports", func(c *Config) { c.ReportsPerSite = 0 }, "reports_per_site"},
		{"too many reports", func(c *Config) { c.ReportsPerSite = 4*maxBodies() + 1 }, "reports_per_site"},
		{"zero page size", func(c *Config) { c.ListPageSize = 0 }, "list_page_size"},
		{"negative notices", func(c *Config) { c.NoticesPerSite = -1 }, "notices_per_site"},
		{"more notices than years", func(c *Config) { c.NoticesPerSite = 5 }, "notices_per_site"},
		{"anomaly rate above 1", func(c *Config) { c.AnomalyRate = 1.5 }, "anomaly_rate"},
		{"anomaly rate NaN", func(c *Config) { c.AnomalyRate = math.NaN() }, "anomaly_rate"},
		{"every report attached", func(c *Config) { c.AttachmentRate = 1 }, ""},
		{"negative attachment rate", func(c *Config) { c.AttachmentRate = -0.1 }, "attachment_rate"},
		{"attachment rate NaN", func(c *Config) { c.AttachmentRate = math.NaN() }, "attachment_rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.change(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("no error, want one containing %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
			if _, gerr := Generate(c); (gerr == nil) != (err == nil) {
				t.Fatalf("Generate error %v disagrees with Validate error %v", gerr, err)
			}
		})
	}
}

func TestConfigYAML(t *testing.T) {
	src := "seed: 7\nsites: 3\nreports_per_site: 4\nyears: [2019, 2022]\nlist_page_size: 2\nnotices_per_site: 2\nanomaly_rate: 0.5\nattachment_rate: 0.25\n"
	var c Config
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		t.Fatal(err)
	}
	want := Config{Seed: 7, Sites: 3, ReportsPerSite: 4, Years: []int{2019, 2022}, ListPageSize: 2, NoticesPerSite: 2, AnomalyRate: 0.5, AttachmentRate: 0.25}
	if c.Seed != want.Seed || c.Sites != want.Sites || c.ReportsPerSite != want.ReportsPerSite || len(c.Years) != 2 ||
		c.Years[1] != 2022 || c.ListPageSize != 2 || c.NoticesPerSite != 2 || c.AnomalyRate != 0.5 || c.AttachmentRate != 0.25 {
		t.Fatalf("decoded %+v, want %+v", c, want)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}
