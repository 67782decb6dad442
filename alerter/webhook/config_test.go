package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/pkg/configtest"
	"github.com/govreport/govreport/pkg/report"
	"gopkg.in/yaml.v3"
)

// loadTestConfig decodes a file's webhook section over the defaults, strictly,
// and validates it.
func loadTestConfig(t *testing.T, name string) (Config, error) {
	t.Helper()
	return configtest.Load(t, name, "webhook", DefaultConfig(), (*Config).Validate)
}

const fileToken = "SECRETTOKEN0123456789abcdef"

func TestConfigGood(t *testing.T) {
	got, err := loadTestConfig(t, "testdata/config.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	newsroom := DefaultEndpoint(FormatJSON)
	newsroom.Name, newsroom.URL = "newsroom", "https://alerts.example.org/govreport?token="+fileToken
	newsroom.SecretEnv, newsroom.MinSeverity = "NEWSROOM_WEBHOOK_SECRET", "warning"
	ding := DefaultEndpoint(FormatDingTalk)
	ding.Name, ding.URL = "ding-supervision", "https://oapi.dingtalk.com/robot/send?access_token="+fileToken
	ding.SecretEnv, ding.Rules, ding.DigestOver = "DINGTALK_SECRET", []report.Rule{"R1", "R3", "R5"}, 10
	wecom := DefaultEndpoint(FormatWeCom)
	wecom.Name, wecom.URL = "wecom-team", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="+fileToken
	wecom.SendResolved = false
	lark := Endpoint{
		Name: "lark", Format: FormatFeishu, URL: "https://open.feishu.cn/open-apis/bot/v2/hook/" + fileToken,
		Secret: fileToken, Rules: []report.Rule{}, MinSeverity: "info", SendResolved: true, Timeout: 5 * time.Second,
		MaxRetries: 0, RetryInitial: 2 * time.Second, RetryMax: 30 * time.Second, RateLimitedWait: 2 * time.Minute,
		RatePerMinute: 60, DigestItems: 5, QueueSize: 200,
	}
	want := Config{FlushTimeout: 5 * time.Second, Endpoints: []Endpoint{newsroom, ding, wecom, lark}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, want)
	}
	// Keys left out take the format's defaults; an explicit 0 stays 0.
	if got.Endpoints[1].RatePerMinute != 20 || got.Endpoints[1].RateLimitedWait != 10*time.Minute {
		t.Errorf("dingtalk defaults %+v", got.Endpoints[1])
	}
	if got.Endpoints[3].MaxRetries != 0 {
		t.Error("max_retries: 0 became the default")
	}
	// Every endpoint key is in the file.
	data, _ := os.ReadFile("testdata/config.good.yml")
	for k := range endpointKeys {
		if !strings.Contains(string(data), k+":") {
			t.Errorf("key %s is not documented in config.good.yml", k)
		}
	}
	// A printed configuration shows no credential.
	out, err := yaml.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), fileToken) || !strings.Contains(string(out), "<secret>") {
		t.Errorf("marshalled config leaks or hides nothing:\n%s", out)
	}
	js, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "endpoint", got.Endpoints[1], "all", got)
	for what, s := range map[string]string{"String": got.Endpoints[1].String(), "JSON": string(js), "slog": logged.String(), "fmt": fmt.Sprintf("%v %+v", got, got.Endpoints)} {
		if strings.Contains(s, fileToken) {
			t.Errorf("%s leaks the token: %s", what, s)
		}
	}
}

func TestConfigBad(t *testing.T) {
	bad, _ := filepath.Glob("testdata/*.bad.yml")
	if len(bad) < 10 {
		t.Fatalf("%d bad configurations", len(bad))
	}
	for _, f := range bad {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, _ := os.ReadFile(f)
			first, _, _ := strings.Cut(string(data), "\n")
			want, ok := strings.CutPrefix(first, "# want: ")
			if !ok {
				t.Fatal("the first line must be # want: <part of the error>")
			}
			_, err := loadTestConfig(t, f)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
			if strings.Contains(err.Error(), fileToken) {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

// TestDefaultEndpoints checks every format's defaults validate once named and
// pointed somewhere.
func TestDefaultEndpoints(t *testing.T) {
	cfg := DefaultConfig()
	for _, f := range []Format{FormatJSON, FormatDingTalk, FormatWeCom, FormatFeishu} {
		e := DefaultEndpoint(f)
		e.Name, e.URL = string(f), "https://example.org/"+string(f)
		cfg.Endpoints = append(cfg.Endpoints, e)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	rates := map[Format]int{FormatJSON: 0, FormatDingTalk: 20, FormatWeCom: 20, FormatFeishu: 100}
	for _, e := range cfg.Endpoints {
		if e.RatePerMinute != rates[e.Format] {
			t.Errorf("%s: rate %d, want %d", e.Format, e.RatePerMinute, rates[e.Format])
		}
	}
}
