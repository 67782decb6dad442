package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The deployment manifests of deploy/ (compose, k8s, systemd) are checked against
// the binary: every govreport process they start names a command and flags that
// exist, a configuration that is mounted or installed and loads with the
// environment the manifest gives it, endpoints on the configured ports, and (k8s)
// limits, probes and NetworkPolicies that allow exactly what each stage needs.
// Nothing here can be started (no container engine on CI); this test is the proof.

// govreportImage is the repository of the image deploy/Dockerfile builds.
const govreportImage = "govreport/govreport"

// mfProc is one govreport process a manifest starts.
type mfProc struct {
	where     string            // "compose.yaml service loader"
	args      []string          // the arguments after the binary
	env       map[string]string // the environment the manifest sets
	files     map[string]string // a path the process sees → the file on this disk
	ports     []int             // ports exposed, published, declared or annotated
	probes    []mfProbe
	container bool // endpoints must be reachable from outside the process's host
}

// mfProbe is a health check of a process: kind is liveness, readiness, startup or
// healthcheck (compose: any of the two endpoints).
type mfProbe struct {
	kind, path string
	port       int
}

// mfChecked is what checking a process found out.
type mfChecked struct {
	cmd                           string
	cfg                           Config
	loaded                        bool
	metricsPort, dashPort         int
	natsPort, clickhousePort      int
	oneShot                       bool
	needsNATS, needsCH, dashboard bool
}

var (
	// needsNATS maps what a command needs from NATS to its user of
	// deploy/nats/accounts.conf; migrate sets up the streams as the admin.
	needsNATS = map[string]string{"crawl": "crawler", "extract": "extractor", "load": "loader", "alert": "alerter", "serve": "dashboard", "migrate": "admin"}
	needsCH   = map[string]bool{"load": true, "alert": true, "serve": true, "migrate": true, "sql": true, "alerts": true}
)

// mfErrs collects problems, each prefixed with where it was found.
type mfErrs []error

func (e *mfErrs) add(where, format string, args ...any) {
	*e = append(*e, fmt.Errorf("%s: %s", where, fmt.Sprintf(format, args...)))
}

// configRefs returns the ${VAR} references in the scalar values of a config
// (expandEnv's view: never keys or comments), each with whether it has a default.
func configRefs(data []byte) (map[string]bool, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	refs := map[string]bool{}
	var walk func(n *yaml.Node, isKey bool)
	walk = func(n *yaml.Node, isKey bool) {
		if n.Kind == yaml.ScalarNode && !isKey {
			for _, m := range envRef.FindAllStringSubmatch(n.Value, -1) {
				refs[m[1]] = refs[m[1]] || m[2] != ""
			}
		}
		for i, c := range n.Content {
			walk(c, n.Kind == yaml.MappingNode && i%2 == 0)
		}
	}
	walk(&doc, false)
	return refs, nil
}

// mfPort returns the port of host:port, and whether the host is loopback only.
func mfPort(listen string) (int, bool) {
	h, p, err := net.SplitHostPort(listen)
	if err != nil {
		return 0, false
	}
	n, _ := strconv.Atoi(p)
	ip := net.ParseIP(h)
	return n, h == "localhost" || (ip != nil && ip.IsLoopback())
}

// urlPort is the port of the first URL in a comma-separated list.
func urlPort(list string, def int) int {
	first, _, _ := strings.Cut(list, ",")
	u, err := url.Parse(strings.TrimSpace(first))
	if err != nil || u.Port() == "" {
		return def
	}
	n, _ := strconv.Atoi(u.Port())
	return n
}

// checkProc checks one process against the command table and the configuration it
// loads; the environment is set with t.Setenv for the load.
func checkProc(t *testing.T, p mfProc, errs *mfErrs) mfChecked {
	t.Helper()
	var c mfChecked
	if len(p.args) == 0 {
		errs.add(p.where, "no govreport command")
		return c
	}
	c.cmd = p.args[0]
	e, ok := (&Main{}).commands()[c.cmd]
	if !ok {
		errs.add(p.where, "unknown command %q", c.cmd)
		return c
	}
	fs := e.make().flags()
	fs.SetOutput(io.Discard)
	if err := fs.Parse(p.args[1:]); err != nil {
		errs.add(p.where, "%s flags %q: %v", c.cmd, p.args[1:], err)
		return c
	}
	if fs.NArg() > 0 {
		errs.add(p.where, "%s: unexpected arguments %q", c.cmd, fs.Args())
	}
	if f := fs.Lookup("once"); f != nil && f.Value.String() == "true" || c.cmd == "migrate" {
		c.oneShot = true
	}
	natsUser := needsNATS[c.cmd]
	c.needsNATS, c.needsCH, c.dashboard = natsUser != "", needsCH[c.cmd], c.cmd == "serve" || c.cmd == "run"
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	cf := fs.Lookup("config")
	if cf == nil {
		return c
	}
	if !set["config"] {
		errs.add(p.where, "%s without --config (its default is relative to the working directory)", c.cmd)
		return c
	}
	host, ok := p.files[cf.Value.String()]
	if !ok {
		errs.add(p.where, "--config %s is not mounted or installed", cf.Value.String())
		return c
	}
	data, err := os.ReadFile(host)
	if err != nil {
		errs.add(p.where, "config: %v", err)
		return c
	}
	refs, err := configRefs(data)
	if err != nil {
		errs.add(p.where, "config %s: %v", host, err)
		return c
	}
	for _, k := range slices.Sorted(maps.Keys(p.env)) {
		if _, ok := refs[k]; !ok {
			errs.add(p.where, "sets %s, which its config does not reference as ${%s}", k, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(refs)) {
		v, ok := p.env[k]
		if !ok && !refs[k] {
			errs.add(p.where, "config needs ${%s} (no default), which is not set", k)
		}
		if ok {
			t.Setenv(k, v)
		} else {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	cfg, err := LoadConfig(host)
	if err != nil {
		errs.add(p.where, "config does not load: %v", err)
		return c
	}
	c.cfg, c.loaded = cfg, true
	if c.needsNATS && cfg.NATS.URL == "" {
		errs.add(p.where, "%s with an empty nats.url (a single stage needs the NATS cluster)", c.cmd)
	}
	if c.needsNATS && cfg.NATS.URL != "" && cfg.NATS.CredsFile == "" && cfg.NATS.User != natsUser {
		errs.add(p.where, "%s runs as NATS user %q, want %q (deploy/nats/accounts.conf)", c.cmd, cfg.NATS.User, natsUser)
	}
	if c.needsNATS && c.cmd != "migrate" && cfg.NATS.URL != "" && cfg.NATS.ManageStreams {
		errs.add(p.where, "%s with nats.manage_streams: its NATS user may not create streams", c.cmd)
	}
	if c.needsCH && cfg.ClickHouse.DSN == "" {
		errs.add(p.where, "%s with an empty clickhouse.dsn (it would start a local clickhouse-server)", c.cmd)
	}
	c.natsPort, c.clickhousePort = urlPort(cfg.NATS.URL, 4222), urlPort(cfg.ClickHouse.DSN, 9000)
	var loop bool
	if cfg.Metrics.Listen != "" {
		c.metricsPort, loop = mfPort(cfg.Metrics.Listen)
		if loop && p.container {
			errs.add(p.where, "metrics.listen %s is loopback: probes and Prometheus cannot reach it", cfg.Metrics.Listen)
		}
	}
	if c.dashboard && cfg.Dashboard.Listen != "" {
		c.dashPort, loop = mfPort(cfg.Dashboard.Listen)
		if loop && p.container {
			errs.add(p.where, "dashboard.listen %s is loopback: nothing outside the container can reach it", cfg.Dashboard.Listen)
		}
	}
	for _, port := range p.ports {
		if port == 0 || (port != c.metricsPort && port != c.dashPort) {
			errs.add(p.where, "port %d is neither metrics.listen (%q) nor dashboard.listen of %s", port, cfg.Metrics.Listen, c.cmd)
		}
	}
	for _, pr := range p.probes {
		want := map[string]string{"liveness": "/healthz", "startup": "/healthz", "readiness": "/readyz"}[pr.kind]
		switch {
		case want != "" && pr.path != want:
			errs.add(p.where, "%s probe on %s, want %s", pr.kind, pr.path, want)
		case pr.path != "/healthz" && pr.path != "/readyz":
			errs.add(p.where, "%s probe on %s, want /healthz or /readyz", pr.kind, pr.path)
		}
		if pr.port == 0 || pr.port != c.metricsPort {
			errs.add(p.where, "%s probe on port %d, but metrics.listen is %q", pr.kind, pr.port, cfg.Metrics.Listen)
		}
	}
	return c
}

// checkImage checks that an image is pinned to a tag (or digest) other than latest.
func checkImage(where, image string, errs *mfErrs) (repo string) {
	repo, digest, hasDigest := strings.Cut(image, "@")
	tag := ""
	if i := strings.LastIndex(repo, ":"); i > strings.LastIndex(repo, "/") {
		repo, tag = repo[:i], repo[i+1:]
	}
	switch {
	case hasDigest && digest != "":
	case tag == "":
		errs.add(where, "image %q is not pinned to a tag", image)
	case tag == "latest":
		errs.add(where, "image %q uses the latest tag", image)
	}
	return repo
}

// mfYAMLDocs parses every document of a YAML file.
func mfYAMLDocs(data []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var out []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, &n)
	}
}

// ---- compose ----

type composeService struct {
	Image       string         `yaml:"image"`
	Build       any            `yaml:"build"`
	Entrypoint  any            `yaml:"entrypoint"`
	Command     any            `yaml:"command"`
	Environment any            `yaml:"environment"`
	Volumes     []string       `yaml:"volumes"`
	Expose      []string       `yaml:"expose"`
	Ports       []string       `yaml:"ports"`
	Profiles    []string       `yaml:"profiles"`
	Healthcheck *composeHealth `yaml:"healthcheck"`
}

type composeHealth struct {
	Test    any  `yaml:"test"`
	Disable bool `yaml:"disable"`
}

type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

var composeVar = regexp.MustCompile(`\$(\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))`)

// composeInterpolate expands what docker compose expands in values, from vars.
func composeInterpolate(s string, vars map[string]string) (string, error) {
	var missing []string
	out := composeVar.ReplaceAllStringFunc(s, func(m string) string {
		sub := composeVar.FindStringSubmatch(m)
		if sub[1] == "$" {
			return "$"
		}
		name := sub[2] + sub[5]
		v, ok := vars[name]
		switch {
		case ok && (v != "" || !strings.HasPrefix(sub[3], ":")):
			return v
		case strings.HasSuffix(sub[3], "-"):
			return sub[4]
		}
		missing = append(missing, name)
		return ""
	})
	if len(missing) > 0 {
		return out, fmt.Errorf("variables %v are not set (add them to env.example)", missing)
	}
	return out, nil
}

func mfStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return strings.Fields(v)
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			out[i] = fmt.Sprint(x)
		}
		return out
	}
	return nil
}

func mfEnv(v any) map[string]string {
	out := map[string]string{}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if x == nil {
				out[k] = ""
			} else {
				out[k] = fmt.Sprint(x)
			}
		}
	case []any:
		for _, x := range v {
			k, val, _ := strings.Cut(fmt.Sprint(x), "=")
			out[k] = val
		}
	}
	return out
}

// containerPort is the container side of "8080", "127.0.0.1:8080:8080/tcp".
func containerPort(spec string) int {
	spec, _, _ = strings.Cut(spec, "/")
	parts := strings.Split(spec, ":")
	n, _ := strconv.Atoi(parts[len(parts)-1])
	return n
}

var (
	healthPort = regexp.MustCompile(`/dev/tcp/[^/\s]+/(\d+)|https?://[^/:\s]+:(\d+)`)
	healthPath = regexp.MustCompile(`GET (\S+) HTTP|https?://[^/\s]+(/[^\s'"?]*)`)
)

// checkCompose checks a compose file (in dir, with env.example's values) and the
// Prometheus configuration that scrapes it.
func checkCompose(t *testing.T, text, dir string, envExample, prometheus []byte) mfErrs {
	t.Helper()
	var errs mfErrs
	vars := map[string]string{}
	for _, line := range strings.Split(string(envExample), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			k, v, _ := strings.Cut(line, "=")
			vars[k] = v
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		errs.add("compose", "%v", err)
		return errs
	}
	var walk func(n *yaml.Node, isKey bool)
	walk = func(n *yaml.Node, isKey bool) {
		if n.Kind == yaml.ScalarNode && !isKey {
			v, err := composeInterpolate(n.Value, vars)
			if err != nil {
				errs.add("compose", "line %d: %v", n.Line, err)
			}
			n.Value = v
		}
		for i, c := range n.Content {
			walk(c, n.Kind == yaml.MappingNode && i%2 == 0)
		}
	}
	walk(&doc, false)
	var f composeFile
	if err := doc.Decode(&f); err != nil {
		errs.add("compose", "%v", err)
		return errs
	}
	scraped := prometheusTargets(prometheus, &errs)
	dockerfile, _ := filepath.Abs(repoFile("deploy/Dockerfile"))
	for _, name := range slices.Sorted(maps.Keys(f.Services)) {
		s := f.Services[name]
		where := "compose service " + name
		repo := checkImage(where, s.Image, &errs)
		files := map[string]string{}
		for _, v := range s.Volumes {
			parts := strings.Split(v, ":")
			if len(parts) < 2 {
				continue
			}
			if src := parts[0]; strings.HasPrefix(src, ".") || strings.HasPrefix(src, "/") {
				host := filepath.Join(dir, src)
				if _, err := os.Stat(host); err != nil {
					errs.add(where, "mounts %s, which does not exist", src)
				}
				files[parts[1]] = host
			} else if _, ok := f.Volumes[src]; !ok {
				errs.add(where, "volume %q is not declared", src)
			}
		}
		if repo == "grafana/grafana" {
			checkGrafana(where, mfEnv(s.Environment), files, f.Services, &errs)
		}
		if repo != govreportImage {
			continue
		}
		b, _ := s.Build.(map[string]any)
		ctx, _ := b["context"].(string)
		df, _ := b["dockerfile"].(string)
		if got, _ := filepath.Abs(filepath.Join(dir, ctx, df)); b == nil || got != dockerfile {
			errs.add(where, "image %s is not built from deploy/Dockerfile (build: %v)", s.Image, s.Build)
		}
		if s.Entrypoint != nil {
			errs.add(where, "overrides the entrypoint; the image's is govreport")
		}
		p := mfProc{where: where, args: mfStrings(s.Command), env: mfEnv(s.Environment), files: files, container: true}
		for _, e := range s.Expose {
			p.ports = append(p.ports, containerPort(e))
		}
		for _, e := range s.Ports {
			p.ports = append(p.ports, containerPort(e))
		}
		if h := s.Healthcheck; h != nil && !h.Disable {
			test := strings.Join(mfStrings(h.Test), " ")
			pr := mfProbe{kind: "healthcheck"}
			if m := healthPort.FindStringSubmatch(test); m != nil {
				pr.port, _ = strconv.Atoi(m[1] + m[2])
			}
			if m := healthPath.FindStringSubmatch(test); m != nil {
				pr.path = m[1] + m[2]
			}
			p.probes = append(p.probes, pr)
		}
		c := checkProc(t, p, &errs)
		if c.loaded && !c.oneShot && c.metricsPort != 0 && !scraped[fmt.Sprintf("%s:%d", name, c.metricsPort)] {
			errs.add(where, "prometheus.yml does not scrape %s:%d", name, c.metricsPort)
		}
		if c.loaded && !c.oneShot && (s.Healthcheck == nil || s.Healthcheck.Disable) {
			errs.add(where, "no healthcheck on /readyz")
		}
	}
	for target := range scraped {
		host, _, _ := strings.Cut(target, ":")
		if _, ok := f.Services[host]; !ok && host != "localhost" {
			errs.add("prometheus.yml", "scrapes %s, which is no compose service", target)
		}
	}
	return errs
}

var grafanaEnvRef = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// checkGrafana checks that Grafana's provisioning (deploy/grafana) is mounted where
// Grafana reads it, that the hosts its data sources name are services of the stack,
// that the environment variables they read are set, and that the dashboards are
// mounted where the provider looks.
func checkGrafana(where string, env, files map[string]string, services map[string]composeService, errs *mfErrs) {
	const dsPath, provPath = "/etc/grafana/provisioning/datasources/govreport.yaml", "/etc/grafana/provisioning/dashboards/govreport.yaml"
	var ds struct {
		Datasources []struct {
			Name     string `yaml:"name"`
			URL      string `yaml:"url"`
			JSONData struct {
				Host string `yaml:"host"`
			} `yaml:"jsonData"`
		} `yaml:"datasources"`
	}
	var prov struct {
		Providers []struct {
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	for _, f := range []struct {
		at  string
		out any
	}{{dsPath, &ds}, {provPath, &prov}} {
		host, ok := files[f.at]
		if !ok {
			errs.add(where, "%s is not mounted", f.at)
			continue
		}
		data, err := os.ReadFile(host)
		if err != nil {
			errs.add(where, "%v", err)
			continue
		}
		if err := yaml.Unmarshal(data, f.out); err != nil {
			errs.add(where, "%s: %v", host, err)
		}
		if f.at == dsPath {
			for _, m := range grafanaEnvRef.FindAllStringSubmatch(string(data), -1) {
				if _, ok := env[m[1]]; !ok {
					errs.add(where, "the data sources read $%s, which is not set", m[1])
				}
			}
		}
	}
	for _, d := range ds.Datasources {
		host := d.JSONData.Host
		if u, err := url.Parse(d.URL); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		if _, ok := services[host]; !ok {
			errs.add(where, "data source %s names host %q, which is no service", d.Name, host)
		}
	}
	for _, p := range prov.Providers {
		mounted := false
		for at := range files {
			mounted = mounted || at == p.Options.Path
		}
		if !mounted {
			errs.add(where, "dashboards are not mounted at the provider's path %s", p.Options.Path)
		}
	}
}

// prometheusTargets lists host:port of every static and DNS scrape target.
func prometheusTargets(data []byte, errs *mfErrs) map[string]bool {
	var cfg struct {
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
			DNSSDConfigs []struct {
				Names []string `yaml:"names"`
				Port  int      `yaml:"port"`
			} `yaml:"dns_sd_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		errs.add("prometheus.yml", "%v", err)
	}
	out := map[string]bool{}
	for _, sc := range cfg.ScrapeConfigs {
		for _, s := range sc.StaticConfigs {
			for _, t := range s.Targets {
				out[t] = true
			}
		}
		for _, d := range sc.DNSSDConfigs {
			for _, n := range d.Names {
				out[fmt.Sprintf("%s:%d", n, d.Port)] = true
			}
		}
	}
	return out
}

// ---- Kubernetes ----

type k8sObject struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Data       map[string]string `yaml:"data"`
	StringData map[string]string `yaml:"stringData"`
	Spec       yaml.Node         `yaml:"spec"`
	file       string
}

type k8sPodTemplate struct {
	Metadata struct {
		Labels      map[string]string `yaml:"labels"`
		Annotations map[string]string `yaml:"annotations"`
	} `yaml:"metadata"`
	Spec struct {
		Containers []k8sContainer `yaml:"containers"`
		Volumes    []struct {
			Name      string `yaml:"name"`
			ConfigMap *struct {
				Name string `yaml:"name"`
			} `yaml:"configMap"`
		} `yaml:"volumes"`
	} `yaml:"spec"`
}

type k8sContainer struct {
	Name    string   `yaml:"name"`
	Image   string   `yaml:"image"`
	Command []string `yaml:"command"`
	Args    []string `yaml:"args"`
	Env     []struct {
		Name      string `yaml:"name"`
		Value     string `yaml:"value"`
		ValueFrom *struct {
			SecretKeyRef    *k8sKeyRef `yaml:"secretKeyRef"`
			ConfigMapKeyRef *k8sKeyRef `yaml:"configMapKeyRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	Resources struct {
		Limits map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	LivenessProbe  *k8sProbe `yaml:"livenessProbe"`
	ReadinessProbe *k8sProbe `yaml:"readinessProbe"`
	StartupProbe   *k8sProbe `yaml:"startupProbe"`
	VolumeMounts   []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
		SubPath   string `yaml:"subPath"`
	} `yaml:"volumeMounts"`
}

type k8sKeyRef struct {
	Name string `yaml:"name"`
	Key  string `yaml:"key"`
}

type k8sProbe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port any    `yaml:"port"`
	} `yaml:"httpGet"`
}

type k8sPolicy struct {
	PodSelector struct {
		MatchLabels      map[string]string `yaml:"matchLabels"`
		MatchExpressions []any             `yaml:"matchExpressions"`
	} `yaml:"podSelector"`
	PolicyTypes []string        `yaml:"policyTypes"`
	Ingress     []k8sPolicyRule `yaml:"ingress"`
	Egress      []k8sPolicyRule `yaml:"egress"`
}

type k8sPolicyRule struct {
	From  []k8sPeer `yaml:"from"`
	To    []k8sPeer `yaml:"to"`
	Ports []struct {
		Port any `yaml:"port"`
	} `yaml:"ports"`
}

type k8sPeer struct {
	PodSelector *struct {
		MatchLabels map[string]string `yaml:"matchLabels"`
	} `yaml:"podSelector"`
	NamespaceSelector *struct {
		MatchLabels map[string]string `yaml:"matchLabels"`
	} `yaml:"namespaceSelector"`
	IPBlock *struct {
		CIDR   string   `yaml:"cidr"`
		Except []string `yaml:"except"`
	} `yaml:"ipBlock"`
}

// privateRanges are what "the internet" must exclude: the cluster's own networks
// and the cloud metadata address.
var privateRanges = []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"}

// peerName names a NetworkPolicy peer: nats, clickhouse, prometheus (by their
// app.kubernetes.io/name), dns (kube-dns in kube-system), internet (0.0.0.0/0 but
// the private ranges), or what it is otherwise.
func peerName(p k8sPeer) string {
	switch {
	case p.IPBlock != nil:
		if p.IPBlock.CIDR == "0.0.0.0/0" && !slices.ContainsFunc(privateRanges, func(r string) bool { return !slices.Contains(p.IPBlock.Except, r) }) {
			return "internet"
		}
		return "ip " + p.IPBlock.CIDR
	case p.NamespaceSelector != nil && p.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"] == "kube-system" &&
		p.PodSelector != nil && p.PodSelector.MatchLabels["k8s-app"] == "kube-dns":
		return "dns"
	case p.PodSelector != nil && len(p.PodSelector.MatchLabels) == 1 && p.PodSelector.MatchLabels["app.kubernetes.io/name"] != "" &&
		(p.NamespaceSelector == nil || len(p.NamespaceSelector.MatchLabels) == 0):
		return p.PodSelector.MatchLabels["app.kubernetes.io/name"]
	}
	return fmt.Sprintf("unrecognised peer %+v", p)
}

// ruleTokens turns policy rules into "peer:port" tokens (port * when unrestricted,
// peer any when unrestricted).
func ruleTokens(rules []k8sPolicyRule, ingress bool) []string {
	var out []string
	for _, r := range rules {
		peers := []string{"any"}
		ps := r.To
		if ingress {
			ps = r.From
		}
		if len(ps) > 0 {
			peers = peers[:0]
			for _, p := range ps {
				peers = append(peers, peerName(p))
			}
		}
		ports := []string{"*"}
		if len(r.Ports) > 0 {
			ports = ports[:0]
			for _, p := range r.Ports {
				ports = append(ports, fmt.Sprint(p.Port))
			}
		}
		for _, pe := range peers {
			for _, po := range ports {
				out = append(out, pe+":"+po)
			}
		}
	}
	return out
}

// checkK8s checks the manifests of deploy/k8s (file name → text) and the Secret
// example, against the binary and deploy/config/govreport.yaml.
func checkK8s(t *testing.T, files map[string]string) mfErrs {
	t.Helper()
	var errs mfErrs
	var objs []k8sObject
	for _, name := range slices.Sorted(maps.Keys(files)) {
		docs, err := mfYAMLDocs([]byte(files[name]))
		if err != nil {
			errs.add(name, "%v", err)
			continue
		}
		for _, d := range docs {
			var o k8sObject
			if err := d.Decode(&o); err != nil {
				errs.add(name, "%v", err)
				continue
			}
			o.file = name
			objs = append(objs, o)
		}
	}
	prodConfig, err := os.ReadFile(repoFile("deploy/config/govreport.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	configMaps, secrets := map[string]map[string]string{}, map[string]map[string]string{}
	var listed []string
	for _, o := range objs {
		switch o.Kind {
		case "ConfigMap":
			configMaps[o.Metadata.Name] = o.Data
			if c, ok := o.Data["govreport.yaml"]; ok && c != string(prodConfig) {
				errs.add(o.file, "ConfigMap %s: govreport.yaml differs from deploy/config/govreport.yaml", o.Metadata.Name)
			}
		case "Secret":
			secrets[o.Metadata.Name] = o.StringData
		case "Kustomization":
			var k struct {
				Resources []string `yaml:"resources"`
			}
			var n yaml.Node
			_ = yaml.Unmarshal([]byte(files[o.file]), &n)
			_ = n.Decode(&k)
			listed = k.Resources
		}
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if name != "kustomization.yaml" && !strings.Contains(name, ".example.") && !slices.Contains(listed, name) {
			errs.add("kustomization.yaml", "does not list %s", name)
		}
	}
	for _, r := range listed {
		if _, ok := files[r]; !ok {
			errs.add("kustomization.yaml", "lists %s, which does not exist", r)
		}
	}
	var policies []k8sPolicy
	for _, o := range objs {
		if o.Kind == "NetworkPolicy" {
			var p k8sPolicy
			if err := o.Spec.Decode(&p); err != nil {
				errs.add(o.file, "%v", err)
			}
			policies = append(policies, p)
		}
	}
	dir := t.TempDir()
	for _, o := range objs {
		var tmpl []string
		switch o.Kind {
		case "Deployment", "Job", "StatefulSet", "DaemonSet":
			tmpl = []string{"template"}
		case "CronJob":
			tmpl = []string{"jobTemplate", "spec", "template"}
		default:
			continue
		}
		n := &o.Spec
		for _, key := range tmpl {
			n = mfChild(n, key)
		}
		var pod k8sPodTemplate
		if n == nil || n.Decode(&pod) != nil {
			errs.add(o.file, "%s %s: no pod template", o.Kind, o.Metadata.Name)
			continue
		}
		for _, c := range pod.Spec.Containers {
			where := fmt.Sprintf("%s %s %s container %s", o.file, o.Kind, o.Metadata.Name, c.Name)
			if c.Resources.Limits["cpu"] == "" || c.Resources.Limits["memory"] == "" {
				errs.add(where, "no resources.limits for cpu and memory")
			}
			if checkImage(where, c.Image, &errs) != govreportImage {
				continue
			}
			if o.Kind == "Deployment" && (c.LivenessProbe == nil || c.ReadinessProbe == nil) {
				errs.add(where, "a Deployment needs a liveness and a readiness probe")
			}
			if len(c.Command) > 0 {
				errs.add(where, "overrides the entrypoint; the image's is govreport")
			}
			p := mfProc{where: where, args: c.Args, env: map[string]string{}, files: map[string]string{}, container: true}
			for _, e := range c.Env {
				switch {
				case e.ValueFrom == nil:
					p.env[e.Name] = e.Value
				case e.ValueFrom.SecretKeyRef != nil:
					v, ok := secrets[e.ValueFrom.SecretKeyRef.Name][e.ValueFrom.SecretKeyRef.Key]
					if !ok {
						errs.add(where, "env %s: Secret %s has no key %s", e.Name, e.ValueFrom.SecretKeyRef.Name, e.ValueFrom.SecretKeyRef.Key)
					}
					p.env[e.Name] = v
				case e.ValueFrom.ConfigMapKeyRef != nil:
					v, ok := configMaps[e.ValueFrom.ConfigMapKeyRef.Name][e.ValueFrom.ConfigMapKeyRef.Key]
					if !ok {
						errs.add(where, "env %s: ConfigMap %s has no key %s", e.Name, e.ValueFrom.ConfigMapKeyRef.Name, e.ValueFrom.ConfigMapKeyRef.Key)
					}
					p.env[e.Name] = v
				}
			}
			for _, m := range c.VolumeMounts {
				for _, v := range pod.Spec.Volumes {
					if v.Name != m.Name || v.ConfigMap == nil {
						continue
					}
					for key, content := range configMaps[v.ConfigMap.Name] {
						at := path.Join(m.MountPath, key)
						if m.SubPath != "" {
							if m.SubPath != key {
								continue
							}
							at = m.MountPath
						}
						host := filepath.Join(dir, v.ConfigMap.Name+"-"+key)
						if err := os.WriteFile(host, []byte(content), 0o600); err != nil {
							t.Fatal(err)
						}
						p.files[at] = host
					}
				}
			}
			named := map[string]int{}
			for _, cp := range c.Ports {
				named[cp.Name] = cp.ContainerPort
				p.ports = append(p.ports, cp.ContainerPort)
			}
			if a, ok := pod.Metadata.Annotations["prometheus.io/port"]; ok {
				n, _ := strconv.Atoi(a)
				p.ports = append(p.ports, n)
			}
			for kind, pr := range map[string]*k8sProbe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe, "startup": c.StartupProbe} {
				if pr == nil {
					continue
				}
				if pr.HTTPGet == nil {
					errs.add(where, "%s probe is not an HTTP GET", kind)
					continue
				}
				port, ok := named[fmt.Sprint(pr.HTTPGet.Port)]
				if !ok {
					port, _ = strconv.Atoi(fmt.Sprint(pr.HTTPGet.Port))
				}
				p.probes = append(p.probes, mfProbe{kind: kind, path: pr.HTTPGet.Path, port: port})
			}
			ch := checkProc(t, p, &errs)
			if !ch.loaded {
				continue
			}
			checkPolicies(where, pod.Metadata.Labels, ch, policies, &errs)
		}
	}
	return errs
}

// mfChild is the value of key in a mapping node.
func mfChild(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// checkPolicies checks that the NetworkPolicies selecting a pod allow exactly what
// its command needs.
func checkPolicies(where string, labels map[string]string, c mfChecked, policies []k8sPolicy, errs *mfErrs) {
	var ingress, egress []string
	var isolatedIn, isolatedOut bool
	for _, p := range policies {
		if len(p.PodSelector.MatchExpressions) > 0 {
			errs.add(where, "a NetworkPolicy uses matchExpressions, which this test does not read")
			continue
		}
		selected := true
		for k, v := range p.PodSelector.MatchLabels {
			selected = selected && labels[k] == v
		}
		if !selected {
			continue
		}
		isolatedIn = isolatedIn || slices.Contains(p.PolicyTypes, "Ingress")
		isolatedOut = isolatedOut || slices.Contains(p.PolicyTypes, "Egress")
		ingress = append(ingress, ruleTokens(p.Ingress, true)...)
		egress = append(egress, ruleTokens(p.Egress, false)...)
	}
	if !isolatedIn || !isolatedOut {
		errs.add(where, "no NetworkPolicy isolates its ingress and egress")
	}
	wantOut := []string{"dns:53"}
	if c.needsNATS {
		wantOut = append(wantOut, fmt.Sprintf("nats:%d", c.natsPort))
	}
	if c.needsCH {
		wantOut = append(wantOut, fmt.Sprintf("clickhouse:%d", c.clickhousePort))
	}
	if c.cmd == "crawl" {
		wantOut = append(wantOut, "internet:80", "internet:443")
	}
	var wantIn []string
	if c.cmd != "migrate" && c.metricsPort != 0 {
		wantIn = append(wantIn, fmt.Sprintf("prometheus:%d", c.metricsPort))
	}
	if c.cmd == "serve" && c.dashPort != 0 {
		wantIn = append(wantIn, fmt.Sprintf("any:%d", c.dashPort))
	}
	for _, dir := range []struct {
		name      string
		got, want []string
	}{{"egress", egress, wantOut}, {"ingress", ingress, wantIn}} {
		got := slices.Compact(slices.Sorted(slices.Values(dir.got)))
		want := slices.Sorted(slices.Values(dir.want))
		if !slices.Equal(got, want) {
			errs.add(where, "NetworkPolicy %s allows %v, want exactly %v", dir.name, got, want)
		}
	}
}

// ---- systemd ----

// unitDirectives returns a unit file's directives by section and key (repeated
// keys keep every value).
func unitDirectives(text string) map[string][]string {
	out := map[string][]string{}
	section := ""
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
		default:
			k, v, _ := strings.Cut(line, "=")
			out[section+"."+strings.TrimSpace(k)] = append(out[section+"."+strings.TrimSpace(k)], strings.TrimSpace(v))
		}
	}
	return out
}

// readmeInstalls returns the paths the `install` commands of a README create,
// each with the repository file installed there ("" for a directory).
func readmeInstalls(readme string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(readme, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "install" {
			continue
		}
		var args []string
		dirs := false
		for i := 1; i < len(f); i++ {
			switch {
			case f[i] == "-d":
				dirs = true
			case f[i] == "-m" || f[i] == "-o" || f[i] == "-g":
				i++
			case strings.HasPrefix(f[i], "-"):
			default:
				args = append(args, f[i])
			}
		}
		if dirs {
			for _, d := range args {
				out[d] = ""
			}
			continue
		}
		if len(args) < 2 {
			continue
		}
		dest := args[len(args)-1]
		var srcs []string
		for _, s := range args[:len(args)-1] {
			if strings.HasPrefix(s, "bin/") {
				// A build output (make build): not in a clean checkout.
				srcs = append(srcs, repoFile(s))
				continue
			}
			m, _ := filepath.Glob(repoFile(s))
			srcs = append(srcs, m...)
		}
		_, destIsDir := out[strings.TrimSuffix(dest, "/")]
		for _, s := range srcs {
			if len(args) > 2 || strings.HasSuffix(dest, "/") || destIsDir || len(srcs) > 1 {
				out[path.Join(dest, filepath.Base(s))] = s
			} else {
				out[dest] = s
			}
		}
	}
	return out
}

// checkSystemd checks unit files (name → text) against the binary and the install
// steps of the README.
func checkSystemd(t *testing.T, units map[string]string, readme string) mfErrs {
	t.Helper()
	var errs mfErrs
	installed := readmeInstalls(readme)
	type listener struct {
		unit      string
		port      int
		conflicts []string
	}
	var listeners []listener
	for _, name := range slices.Sorted(maps.Keys(units)) {
		d := unitDirectives(units[name])
		if !strings.HasSuffix(name, ".service") {
			continue
		}
		where := "systemd " + name
		execs := d["Service.ExecStart"]
		if len(execs) != 1 {
			errs.add(where, "want one ExecStart, got %d", len(execs))
			continue
		}
		argv := strings.Fields(execs[0])
		if src, ok := installed[argv[0]]; !ok || filepath.Base(src) != "govreport" {
			errs.add(where, "runs %s, which the README does not install as the govreport binary", argv[0])
			continue
		}
		p := mfProc{where: where, args: argv[1:], env: map[string]string{}, files: map[string]string{}}
		for _, ef := range d["Service.EnvironmentFile"] {
			ef = strings.TrimPrefix(ef, "-")
			src, ok := installed[ef]
			if !ok {
				errs.add(where, "EnvironmentFile %s is not installed by the README", ef)
				continue
			}
			data, err := os.ReadFile(src)
			if err != nil {
				errs.add(where, "%v", err)
				continue
			}
			for _, line := range strings.Split(string(data), "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
					k, v, _ := strings.Cut(line, "=")
					p.env[k] = strings.Trim(v, `"`)
				}
			}
		}
		for _, e := range d["Service.Environment"] {
			for _, kv := range strings.Fields(e) {
				k, v, _ := strings.Cut(strings.Trim(kv, `"`), "=")
				p.env[k] = v
			}
		}
		for at, src := range installed {
			if src != "" {
				p.files[at] = src
			}
		}
		c := checkProc(t, p, &errs)
		if c.metricsPort != 0 {
			var conflicts []string
			for _, v := range d["Unit.Conflicts"] {
				conflicts = append(conflicts, strings.Fields(v)...)
			}
			listeners = append(listeners, listener{name, c.metricsPort, conflicts})
		}
	}
	for i, a := range listeners {
		for _, b := range listeners[i+1:] {
			if a.port == b.port && !slices.Contains(a.conflicts, b.unit) && !slices.Contains(b.conflicts, a.unit) {
				errs.add("systemd", "%s and %s both serve metrics on port %d and may run together", a.unit, b.unit, a.port)
			}
		}
	}
	return errs
}

// ---- the tests ----

// mfDeploy reads the files of a deploy/ folder (name → text) that match a glob.
func mfDeploy(t *testing.T, glob string) map[string]string {
	t.Helper()
	names, err := filepath.Glob(repoFile(glob))
	if err != nil || len(names) == 0 {
		t.Fatalf("no files match deploy glob %s", glob)
	}
	out := map[string]string{}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(n)] = string(data)
	}
	return out
}

func mfRead(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(repoFile(name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// Every YAML file under deploy/ parses (every document of multi-document files).
func TestDeployYAMLParses(t *testing.T) {
	n := 0
	err := filepath.WalkDir(repoFile("deploy"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || (!strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".yml")) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		docs, err := mfYAMLDocs(data)
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		if len(docs) == 0 {
			t.Errorf("%s: no YAML document", p)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 15 {
		t.Errorf("parsed only %d YAML files under deploy/", n)
	}
}

func TestComposeManifest(t *testing.T) {
	errs := checkCompose(t, mfRead(t, "deploy/compose/compose.yaml"), repoFile("deploy/compose"),
		[]byte(mfRead(t, "deploy/compose/env.example")), []byte(mfRead(t, "deploy/prometheus/prometheus.yml")))
	for _, e := range errs {
		t.Error(e)
	}
}

func TestKubernetesManifests(t *testing.T) {
	for _, e := range checkK8s(t, mfDeploy(t, "deploy/k8s/*.yaml")) {
		t.Error(e)
	}
}

func TestSystemdUnits(t *testing.T) {
	units := mfDeploy(t, "deploy/systemd/govreport*")
	for _, e := range checkSystemd(t, units, mfRead(t, "deploy/systemd/README.md")) {
		t.Error(e)
	}
}

// The image is built the way the brief of deploy/ says: Go 1.26 on bookworm, a slim
// bookworm runtime with wvWare and CA certificates, a non-root user, and govreport
// as the entrypoint; the configuration and sites it copies are the ones the
// production configuration names.
func TestDockerfile(t *testing.T) {
	df := mfRead(t, "deploy/Dockerfile")
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^FROM golang:1\.26-bookworm AS build$`),
		regexp.MustCompile(`(?m)^FROM debian:bookworm-slim$`),
		regexp.MustCompile(`apt-get install [^\n]*\bwv\b`),
		regexp.MustCompile(`apt-get install [^\n]*\bca-certificates\b`),
		regexp.MustCompile(`(?m)^USER [1-9][0-9]*`),
		regexp.MustCompile(`(?m)^ENTRYPOINT \["govreport"\]$`),
		regexp.MustCompile(`(?m)^COPY configs/sites/ /etc/govreport/sites/$`),
		regexp.MustCompile(`(?m)^COPY deploy/config/govreport.yaml /etc/govreport/govreport.yaml$`),
		regexp.MustCompile(`(?s)go build .*\./cmd/govreport`),
	} {
		if !want.MatchString(df) {
			t.Errorf("deploy/Dockerfile: no line matching %s", want)
		}
	}
	for _, from := range regexp.MustCompile(`(?m)^FROM (\S+)`).FindAllStringSubmatch(df, -1) {
		var errs mfErrs
		checkImage("deploy/Dockerfile", from[1], &errs)
		for _, e := range errs {
			t.Error(e)
		}
	}
	t.Setenv("GOVREPORT_SITES", "")
	os.Unsetenv("GOVREPORT_SITES")
	t.Setenv("GOVREPORT_NATS_URL", "nats://nats:4222")
	for _, v := range []string{"GOVREPORT_NATS_USER", "GOVREPORT_NATS_PASSWORD", "GOVREPORT_CLICKHOUSE_DSN", "GOVREPORT_METRICS_LISTEN", "GOVREPORT_DASHBOARD_LISTEN", "GOVREPORT_DATA_DIR"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	cfg, err := LoadConfig(repoFile("deploy/config/govreport.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if dir := path.Dir(cfg.Crawler.Sites); dir != "/etc/govreport/sites" {
		t.Errorf("crawler.sites %s is not under the image's /etc/govreport/sites", cfg.Crawler.Sites)
	}
	if m, _ := filepath.Glob(repoFile("configs/sites/" + path.Base(cfg.Crawler.Sites))); len(m) == 0 {
		t.Errorf("crawler.sites %s matches none of configs/sites, which the image copies", cfg.Crawler.Sites)
	}
	if cfg.Extractor.Attachments.WvWare != "wvWare" {
		t.Errorf("extractor.attachments.wvware %q: the image has wvWare in PATH", cfg.Extractor.Attachments.WvWare)
	}
}

// Every check can fail: each case breaks one valid manifest in memory (every
// occurrence of a string) and must be reported with the expected message.
func TestBrokenManifests(t *testing.T) {
	compose := mfRead(t, "deploy/compose/compose.yaml")
	envExample := mfRead(t, "deploy/compose/env.example")
	prom := mfRead(t, "deploy/prometheus/prometheus.yml")
	k8s := mfDeploy(t, "deploy/k8s/*.yaml")
	units := mfDeploy(t, "deploy/systemd/govreport*")
	readme := mfRead(t, "deploy/systemd/README.md")
	type edit struct{ file, old, new string }
	cases := []struct {
		name string
		edit edit
		want string
	}{
		{"unknown command", edit{"compose", `["extract", "--config"`, `["extrakt", "--config"`}, `unknown command "extrakt"`},
		{"unknown flag", edit{"compose", `["crawl", "--config"`, `["crawl", "--onse", "--config"`}, "flag provided but not defined: -onse"},
		{"flag of another command", edit{"compose", `["extract", "--config"`, `["extract", "--once", "--config"`}, "flag provided but not defined: -once"},
		{"extra argument", edit{"compose", `["load", "--config", "/etc/govreport/govreport.yaml"]`, `["load", "--config", "/etc/govreport/govreport.yaml", "now"]`}, "unexpected arguments"},
		{"config not mounted", edit{"compose", `["alert", "--config", "/etc/govreport/govreport.yaml"]`, `["alert", "--config", "/etc/govreport/alert.yaml"]`}, "--config /etc/govreport/alert.yaml is not mounted"},
		{"no config flag", edit{"compose", `["alert", "--config", "/etc/govreport/govreport.yaml"]`, `["alert"]`}, "alert without --config"},
		{"env not in config", edit{"compose", "      GOVREPORT_NATS_USER: extractor\n", "      GOVREPORT_NATS_SERVERS: x\n      GOVREPORT_NATS_USER: extractor\n"}, "sets GOVREPORT_NATS_SERVERS, which its config does not reference"},
		{"config does not load", edit{"compose", "      GOVREPORT_NATS_USER: extractor\n", "      GOVREPORT_METRICS_LISTEN: nonsense\n      GOVREPORT_NATS_USER: extractor\n"}, "config does not load: config"},
		{"required variable unset", edit{"compose", "      GOVREPORT_NATS_URL: *nats-url\n      GOVREPORT_NATS_USER: extractor\n", "      GOVREPORT_NATS_USER: extractor\n"}, "config needs ${GOVREPORT_NATS_URL} (no default), which is not set"},
		{"wrong NATS user", edit{"compose", "GOVREPORT_NATS_USER: loader\n", "GOVREPORT_NATS_USER: admin\n"}, `load runs as NATS user "admin", want "loader"`},
		{"loader without clickhouse", edit{"compose", "      GOVREPORT_CLICKHOUSE_DSN: clickhouse://govreport_loader:${CLICKHOUSE_LOADER_PASSWORD:?set in .env}@clickhouse:9000/govreport\n", ""}, "load with an empty clickhouse.dsn"},
		{"wrong port", edit{"compose", `"127.0.0.1:8080:8080"`, `"127.0.0.1:8080:8081"`}, "port 8081 is neither metrics.listen"},
		{"metrics on loopback", edit{"compose", "GOVREPORT_NATS_USER: crawler\n", "GOVREPORT_NATS_USER: crawler\n      GOVREPORT_METRICS_LISTEN: 127.0.0.1:9464\n"}, "metrics.listen 127.0.0.1:9464 is loopback"},
		{"healthcheck path", edit{"compose", "GET /readyz HTTP", "GET /health HTTP"}, "healthcheck probe on /health"},
		{"healthcheck port", edit{"compose", "/dev/tcp/127.0.0.1/9464", "/dev/tcp/127.0.0.1/9000"}, "healthcheck probe on port 9000"},
		{"unpinned image", edit{"compose", "image: prom/prometheus:v3.5.0", "image: prom/prometheus"}, `image "prom/prometheus" is not pinned`},
		{"latest image", edit{"compose", "image: nats:2.15.2-alpine", "image: nats:latest"}, "uses the latest tag"},
		{"image not built here", edit{"compose", "dockerfile: deploy/Dockerfile", "dockerfile: Dockerfile"}, "is not built from deploy/Dockerfile"},
		{"missing mount", edit{"compose", "../prometheus/prometheus.yml:", "../prometheus/prom.yml:"}, "mounts ../prometheus/prom.yml, which does not exist"},
		{"compose variable not in env.example", edit{"compose", "${GRAFANA_ADMIN_PASSWORD:?set in .env}", "${GRAFANA_PASSWORD:?set in .env}"}, "GRAFANA_PASSWORD] are not set"},
		{"grafana secret unset", edit{"compose", "      GOVREPORT_CLICKHOUSE_PASSWORD: ${CLICKHOUSE_ANALYST_PASSWORD:?set in .env}\n", ""}, "the data sources read $GOVREPORT_CLICKHOUSE_PASSWORD, which is not set"},
		{"grafana dashboards elsewhere", edit{"compose", "../grafana/dashboards:/var/lib/grafana/dashboards:ro", "../grafana/dashboards:/dashboards:ro"}, "dashboards are not mounted at the provider's path /var/lib/grafana/dashboards"},
		{"grafana data source host", edit{"compose", "\n  prometheus:\n", "\n  prom:\n"}, `data source Prometheus names host "prometheus", which is no service`},
		{"not scraped", edit{"prometheus", "names: [loader]", "names: [loaders]"}, "prometheus.yml does not scrape loader:9464"},
		{"yaml syntax", edit{"compose", "services:\n", "services:\n  bad: [\n"}, "compose: yaml:"},
		{"k8s no limits", edit{"loader.yaml", "      limits:\n              cpu: \"1\"", "      claims:\n              cpu: \"1\""}, "no resources.limits"},
		{"k8s no readiness", edit{"extractor.yaml", "readinessProbe:", "readinessProbeX:"}, "needs a liveness and a readiness probe"},
		{"k8s liveness on readyz", edit{"alerter.yaml", "livenessProbe:\n            httpGet:\n              path: /healthz", "livenessProbe:\n            httpGet:\n              path: /readyz"}, "liveness probe on /readyz, want /healthz"},
		{"k8s secret key", edit{"loader.yaml", "key: clickhouse-dsn-loader", "key: clickhouse-dsn-writer"}, "Secret govreport has no key clickhouse-dsn-writer"},
		{"k8s config drift", edit{"config.yaml", "format: json", "format: text"}, "differs from deploy/config/govreport.yaml"},
		{"k8s unpinned", edit{"dashboard.yaml", "image: govreport/govreport:v0.1.0", "image: govreport/govreport"}, "is not pinned"},
		{"k8s extractor to internet", edit{"networkpolicies.yaml", "      app.kubernetes.io/component: extractor\n  policyTypes: [Ingress, Egress]\n", "      app.kubernetes.io/component: extractor\n  policyTypes: [Ingress, Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n"}, "NetworkPolicy egress allows"},
		{"k8s crawler without internet", edit{"networkpolicies.yaml", "        cidr: 0.0.0.0/0\n", "        cidr: 10.0.0.0/8\n"}, "want exactly [dns:53 internet:443 internet:80 nats:4222]"},
		{"k8s internet with private ranges", edit{"networkpolicies.yaml", "          - 169.254.0.0/16\n", ""}, "ip 0.0.0.0/0:80"},
		{"k8s dashboard closed", edit{"networkpolicies.yaml", "    - ports:\n        - protocol: TCP\n          port: 8080\n", ""}, "NetworkPolicy ingress allows [prometheus:9464], want exactly [any:8080 prometheus:9464]"},
		{"k8s no isolation", edit{"networkpolicies.yaml", "policyTypes: [Ingress, Egress]", "policyTypes: [Ingress]"}, "no NetworkPolicy isolates its ingress and egress"},
		{"systemd flag", edit{"govreport-load.service", "govreport load --config", "govreport load --batch 10 --config"}, "flag provided but not defined: -batch"},
		{"systemd config not installed", edit{"govreport-alert.service", "--config /etc/govreport/govreport.yaml", "--config /etc/govreport/alert.yaml"}, "--config /etc/govreport/alert.yaml is not mounted or installed"},
		{"systemd env file not installed", edit{"govreport-serve.service", "EnvironmentFile=/etc/govreport/serve.env", "EnvironmentFile=/etc/govreport/dashboard.env"}, "EnvironmentFile /etc/govreport/dashboard.env is not installed"},
		{"systemd port clash", edit{"govreport-extract.service", "GOVREPORT_METRICS_LISTEN=0.0.0.0:9466", "GOVREPORT_METRICS_LISTEN=0.0.0.0:9465"}, "both serve metrics on port 9465"},
		{"systemd binary", edit{"govreport-crawl.service", "ExecStart=/usr/local/bin/govreport", "ExecStart=/usr/bin/govreport"}, "runs /usr/bin/govreport, which the README does not install"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			apply := func(text string) string {
				if !strings.Contains(text, tc.edit.old) {
					t.Fatalf("the manifest has no %q to break", tc.edit.old)
				}
				return strings.ReplaceAll(text, tc.edit.old, tc.edit.new)
			}
			var errs mfErrs
			switch f := tc.edit.file; {
			case f == "compose":
				errs = checkCompose(t, apply(compose), repoFile("deploy/compose"), []byte(envExample), []byte(prom))
			case f == "prometheus":
				errs = checkCompose(t, compose, repoFile("deploy/compose"), []byte(envExample), []byte(apply(prom)))
			case strings.HasSuffix(f, ".service"):
				broken := maps.Clone(units)
				broken[f] = apply(units[f])
				errs = checkSystemd(t, broken, readme)
			default:
				broken := maps.Clone(k8s)
				broken[f] = apply(k8s[f])
				errs = checkK8s(t, broken)
			}
			want := tc.want
			var msgs []string
			for _, e := range errs {
				msgs = append(msgs, e.Error())
				if strings.Contains(e.Error(), want) {
					return
				}
			}
			t.Errorf("no error contains %q; got:\n%s", want, strings.Join(msgs, "\n"))
		})
	}
}
