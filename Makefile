# govreport — make help lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GO      ?= go
BIN     := bin/govreport
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION) -X github.com/govreport/govreport/extractor.Version=$(VERSION)
MODULES := pkg crawler extractor loader alerter dashboard cmd/govreport
PKGS    := $(addsuffix /...,$(addprefix ./,$(MODULES)))
CONFIG  ?= configs/govreport.yaml
# Run tests that need ClickHouse (and wvWare for .doc) instead of skipping them.
export GOVREPORT_REQUIRE_CLICKHOUSE ?= 1
export GOVREPORT_REQUIRE_WVWARE ?= 1
export GOVREPORT_REQUIRE_CHROMIUM ?= 1
TEST_TIMEOUT ?= 15m
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help build run demo test test-short bench bench-backlog fuzz deps-chdb deps-wv deps-chromium attach-fixtures lint fmt deps deps-clickhouse deps-go clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

CHDB_DIR ?= $(HOME)/.cache/govreport/chdb
export GOVREPORT_CHDB_DIR := $(CHDB_DIR)

deps: deps-clickhouse deps-wv deps-chdb deps-go ## install everything the pipeline and its tests need

deps-wv: ## install wvWare (Debian's wv), which reads .doc attachments
	@command -v wvWare >/dev/null 2>&1 && echo "wvWare: present" || { \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wv; }

deps-chromium: ## install Debian's chromium, which the dashboard's browser test drives headless
	@command -v chromium >/dev/null 2>&1 && echo "chromium: present" || { \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

attach-fixtures: ## regenerate extractor/testdata/attach (needs libreoffice-writer-nogui libreoffice-calc-nogui fonts-wqy-microhei)
	cd extractor && $(GO) generate .

deps-chdb: ## install chDB (a current ClickHouse engine, from npm) for the compatibility tests
	@if [ -f "$(CHDB_DIR)/node_modules/chdb/package.json" ]; then echo "chdb: present"; else \
		command -v npm >/dev/null 2>&1 || { $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
			$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }; \
		npm install --no-audit --no-fund --prefix "$(CHDB_DIR)" chdb@3.4.0; fi

deps-clickhouse: ## install Debian's clickhouse-server and clickhouse-client when missing
	@if command -v clickhouse-server >/dev/null 2>&1 || [ -x /usr/sbin/clickhouse-server ] || command -v clickhouse >/dev/null 2>&1; then \
		echo "clickhouse-server: present"; \
	else \
		echo "clickhouse-server: installing Debian's package"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clickhouse-server clickhouse-client; \
	fi

deps-go: ## download the Go modules
	@command -v $(GO) >/dev/null || { echo "Go 1.26 or newer is required (https://go.dev/dl/)"; exit 1; }
	@for m in $(MODULES); do (cd $$m && $(GO) mod download) || exit 1; done

build: deps-go ## build bin/govreport
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/govreport

run: deps-clickhouse deps-wv build ## run the pipeline with configs/govreport.yaml (CONFIG=… to change)
	$(BIN) run --config $(CONFIG)

demo: deps-clickhouse build ## offline demo: crawl the sample portal once, then query the results
	rm -rf data/demo
	$(BIN) run --once --config configs/demo.yaml
	@echo; echo "== reports per province and template"
	$(BIN) sql --config configs/demo.yaml "SELECT province, template, count() AS reports, sum(findings_errors > 0) AS with_errors FROM reports_current GROUP BY province, template ORDER BY province, template"
	@echo; echo "== applications received and granted, by year"
	$(BIN) sql --config configs/demo.yaml "SELECT year, sumIf(value, row = 'new_received') AS received, sumIf(value, row = 'granted') AS granted, round(granted / received, 3) AS grant_rate FROM application_cells_current WHERE col = 'total' GROUP BY year ORDER BY year"
	@echo; echo "== reports breaking the template's arithmetic"
	$(BIN) sql --config configs/demo.yaml "SELECT rule, count() AS findings, uniqExact(doc_id) AS reports FROM findings_current WHERE status = 'violated' GROUP BY rule ORDER BY rule"

test: deps-clickhouse deps-wv deps-chdb deps-chromium deps-go ## run every test (starts its own NATS and ClickHouse servers; screenshots in testartifacts/)
	$(GO) test -timeout $(TEST_TIMEOUT) $(PKGS)

test-short: ## run the tests that need no ClickHouse
	GOVREPORT_REQUIRE_CLICKHOUSE=0 GOVREPORT_REQUIRE_WVWARE=0 GOVREPORT_REQUIRE_CHROMIUM=0 $(GO) test -short $(PKGS)

bench: deps-clickhouse deps-go ## run the benchmarks
	$(GO) test -run '^$$' -bench . -benchmem -timeout 30m $(PKGS)

FUZZTIME ?= 20s
bench-backlog: deps-clickhouse deps-go ## the loader against clickhouse-client on a 20,000-record backlog (minutes)
	GOVREPORT_BENCH_BACKLOG=1 $(GO) test ./loader -run '^$$' -bench BenchmarkBacklog -benchtime 1x -timeout 30m

fuzz: ## run every fuzz test for FUZZTIME each (default 20s)
	@for pkg in $$(grep -rl --include='*_test.go' '^func Fuzz' $(MODULES) | xargs -n1 dirname | sort -u); do \
		for f in $$(grep -h '^func Fuzz' $$pkg/*_test.go | sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
			echo "== $$pkg $$f"; \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 3s ./$$pkg || exit 1; \
		done; \
	done

lint: ## go vet, a gofmt check, and that stages never import each other
	$(GO) vet $(PKGS)
	@for m in pkg crawler extractor loader alerter dashboard; do \
		bad=$$(cd $$m && $(GO) list -deps ./... | grep -E '^github.com/govreport/govreport/(crawler|extractor|loader|alerter|dashboard|cmd)(/|$$)' | grep -vE "^github.com/govreport/govreport/$$m(/|$$)"); \
		if [ -n "$$bad" ]; then echo "$$m imports what it must not: $$bad"; exit 1; fi; \
	done
	@out=$$(gofmt -l $(MODULES)); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

fmt: ## gofmt every Go file
	gofmt -w $(MODULES)

clean: ## remove the binary and the data directory
	rm -rf bin data
