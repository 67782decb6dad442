package attach

import (
	"errors"
	"fmt"

	"github.com/govreport/govreport/extractor/bounds"
)

// Config configures the attachment readers.
type Config struct {
	// Limits bound every reader (see bounds.Limits).
	Limits bounds.Limits `yaml:"limits"`
	// WvWare is the wvWare program (Debian package wv) that converts binary Word
	// files (.doc and binary .wps) to HTML: a name looked up in PATH, or a path.
	WvWare string `yaml:"wvware"`
	// WvHTMLConfig is wvWare's HTML configuration file.
	WvHTMLConfig string `yaml:"wvhtml_config"`
}

// DefaultConfig returns the default limits and wvWare from PATH with the wv
// package's HTML configuration.
func DefaultConfig() Config {
	return Config{Limits: bounds.DefaultLimits(), WvWare: "wvWare", WvHTMLConfig: "/usr/share/wv/wvHtml.xml"}
}

// Validate checks the configuration; prefix names it ("extractor.attachments").
func (c Config) Validate(prefix string) error {
	var errs []error
	if err := c.Limits.Validate(prefix + ".limits"); err != nil {
		errs = append(errs, err)
	}
	if c.WvWare == "" {
		errs = append(errs, fmt.Errorf("%s.wvware: empty, want the wvWare program (a name in PATH or a path)", prefix))
	}
	if c.WvHTMLConfig == "" {
		errs = append(errs, fmt.Errorf("%s.wvhtml_config: empty, want the path of wvHtml.xml", prefix))
	}
	return errors.Join(errs...)
}

// orDefault fills a zero Config with the defaults.
func (c Config) orDefault() Config {
	if c == (Config{}) {
		return DefaultConfig()
	}
	d := DefaultConfig()
	c.Limits = c.Limits.OrDefault()
	if c.WvWare == "" {
		c.WvWare = d.WvWare
	}
	if c.WvHTMLConfig == "" {
		c.WvHTMLConfig = d.WvHTMLConfig
	}
	return c
}
