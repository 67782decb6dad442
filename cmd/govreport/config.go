package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/govreport/govreport/alerter"
	"github.com/govreport/govreport/crawler"
	"github.com/govreport/govreport/dashboard"
	"github.com/govreport/govreport/extractor"
	"github.com/govreport/govreport/loader"
	"github.com/govreport/govreport/pkg/bus"
	"github.com/govreport/govreport/pkg/chserver"
	"github.com/govreport/govreport/pkg/sampleportal"
	"github.com/govreport/govreport/pkg/warehouse"
	"gopkg.in/yaml.v3"
)

// Config is the whole configuration: one struct, defaults from every component,
// validated as a whole. configs/govreport.yaml documents every key.
type Config struct {
	// DataDir holds the embedded NATS store and the local ClickHouse.
	DataDir string `yaml:"data_dir"`
	// Log configures logging.
	Log LogConfig `yaml:"log"`
	// Metrics configures the Prometheus endpoint.
	Metrics MetricsConfig `yaml:"metrics"`
	// NATS says which NATS to use (embedded when no URL).
	NATS bus.Config `yaml:"nats"`
	// ClickHouse says which ClickHouse to use (a local server when no DSN).
	ClickHouse ClickHouseConfig `yaml:"clickhouse"`
	// Crawler, Extractor, Loader and Alerter configure the stages.
	Crawler   crawler.Config   `yaml:"crawler"`
	Extractor extractor.Config `yaml:"extractor"`
	Loader    loader.Config    `yaml:"loader"`
	Alerter   alerter.Config   `yaml:"alerter"`
	// Dashboard configures the web dashboard (govreport serve, and in run).
	Dashboard dashboard.Config `yaml:"dashboard"`
	// SamplePortal, when enabled, serves the generated sample portal in-process and
	// adds its sites to the crawl (the offline demo).
	SamplePortal SamplePortalConfig `yaml:"sample_portal"`
}

// LogConfig configures log/slog.
type LogConfig struct {
	// Level is debug, info, warn or error.
	Level string `yaml:"level"`
	// Format is text, json, or auto (text on a terminal, JSON otherwise).
	Format string `yaml:"format"`
}

// MetricsConfig configures the Prometheus /metrics endpoint.
type MetricsConfig struct {
	// Listen is host:port for /metrics; empty disables the endpoint.
	Listen string `yaml:"listen"`
}

// ClickHouseConfig is the warehouse connection plus the local server started when
// no DSN is configured.
type ClickHouseConfig struct {
	warehouse.Config `yaml:",inline"`
	// Local configures the clickhouse-server started under <data_dir>/clickhouse.
	Local chserver.Config `yaml:"local"`
}

// SamplePortalConfig configures the in-process sample portal.
type SamplePortalConfig struct {
	Enabled bool `yaml:"enabled"`
	// Listen is host:port to serve on (port 0 picks a free one).
	Listen              string `yaml:"listen"`
	sampleportal.Config `yaml:",inline"`
}

// DefaultConfig returns every component's defaults.
func DefaultConfig() Config {
	return Config{
		DataDir:    "data",
		Log:        LogConfig{Level: "info", Format: "auto"},
		Metrics:    MetricsConfig{Listen: "127.0.0.1:9464"},
		NATS:       bus.DefaultConfig(),
		ClickHouse: ClickHouseConfig{Config: warehouse.DefaultConfig(), Local: chserver.DefaultConfig()},
		Crawler:    crawler.DefaultConfig(),
		Extractor:  extractor.DefaultConfig(),
		Loader:     loader.DefaultConfig(),
		Alerter:    alerter.DefaultConfig(),
		Dashboard:  dashboard.DefaultConfig(),
		SamplePortal: SamplePortalConfig{
			Listen: "127.0.0.1:0",
			Config: sampleportal.DefaultConfig(),
		},
	}
}

// Validate checks the whole configuration; the first problem is returned with the
// key it concerns.
func (c *Config) Validate() error {
	if c.DataDir == "" {
		return errors.New("data_dir: required")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log.level: %q, want debug, info, warn or error", c.Log.Level)
	}
	switch c.Log.Format {
	case "auto", "text", "json":
	default:
		return fmt.Errorf("log.format: %q, want auto, text or json", c.Log.Format)
	}
	if c.Metrics.Listen != "" {
		if _, _, err := net.SplitHostPort(c.Metrics.Listen); err != nil {
			return fmt.Errorf("metrics.listen: %w", err)
		}
	}
	if err := c.NATS.Validate(); err != nil {
		return err
	}
	if err := c.ClickHouse.Config.Validate(); err != nil {
		return err
	}
	if c.ClickHouse.DSN == "" {
		local := c.localClickHouse()
		if err := local.Validate(); err != nil {
			return fmt.Errorf("clickhouse.local: %w", err)
		}
	}
	for _, v := range []interface{ Validate() error }{&c.Crawler, &c.Extractor, &c.Loader, &c.Alerter, &c.Dashboard} {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	if c.SamplePortal.Enabled {
		if _, _, err := net.SplitHostPort(c.SamplePortal.Listen); err != nil {
			return fmt.Errorf("sample_portal.listen: %w", err)
		}
		if err := c.SamplePortal.Config.Validate(); err != nil {
			return fmt.Errorf("sample_portal: %w", err)
		}
	}
	return nil
}

// localClickHouse returns the local server's configuration with its directory
// under the data directory unless one is configured.
func (c *Config) localClickHouse() chserver.Config {
	l := c.ClickHouse.Local
	if l.Dir == "" {
		l.Dir = filepath.Join(c.DataDir, "clickhouse")
	}
	return l
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}`)

// expandEnv replaces ${VAR} and ${VAR:-default} in the scalar values of a YAML
// document (never in comments or keys) with environment values. A variable that is
// unset and has no default is an error, so a missing secret is noticed.
func expandEnv(n *yaml.Node) error {
	var missing []string
	var walk func(n *yaml.Node, isKey bool)
	walk = func(n *yaml.Node, isKey bool) {
		if n.Kind == yaml.ScalarNode && !isKey && strings.Contains(n.Value, "${") {
			n.Value = envRef.ReplaceAllStringFunc(n.Value, func(m string) string {
				sub := envRef.FindStringSubmatch(m)
				if v, ok := os.LookupEnv(sub[1]); ok {
					return v
				}
				if sub[2] != "" {
					return sub[3]
				}
				missing = append(missing, sub[1])
				return ""
			})
			// A plain scalar is typed by what it expands to, so that a number or a
			// duration can come from the environment (replicas: ${REPLICAS:-3});
			// string keys keep the text as it is (a password of "true" stays
			// "true"). A quoted scalar stays a string, and so does an empty one.
			if n.Style == 0 {
				n.Tag = ""
				if n.Value == "" {
					n.Style = yaml.DoubleQuotedStyle
				}
			}
		}
		for i, c := range n.Content {
			walk(c, n.Kind == yaml.MappingNode && i%2 == 0)
		}
	}
	walk(n, false)
	if len(missing) > 0 {
		return fmt.Errorf("environment variables not set: %v", missing)
	}
	return nil
}

// LoadConfig reads a configuration file over the defaults: ${VAR} references are
// expanded, unknown keys are errors, and the result is validated.
func LoadConfig(path string) (Config, error) {
	cfg := DefaultConfig()
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("read config: %w", err)
	}
	if err := decodeConfig(data, &cfg); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

func decodeConfig(data []byte, cfg *Config) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return err
	}
	if doc.Kind == 0 { // an empty file keeps the defaults
		return nil
	}
	if err := expandEnv(&doc); err != nil {
		return err
	}
	// Decode through the strict decoder (unknown keys are errors), which only
	// reads bytes; line numbers in its errors stay those of the file.
	expanded, err := yaml.Marshal(&doc)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(expanded))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}
