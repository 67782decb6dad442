module github.com/govreport/govreport/cmd/govreport

go 1.26.0

require (
	github.com/govreport/govreport/alerter v0.0.0
	github.com/govreport/govreport/crawler v0.0.0
	github.com/govreport/govreport/extractor v0.0.0
	github.com/govreport/govreport/loader v0.0.0
	github.com/govreport/govreport/pkg v0.0.0
)

require (
	github.com/ClickHouse/ch-go v0.74.0 // indirect
	github.com/ClickHouse/clickhouse-go/v2 v2.50.0 // indirect
	github.com/andybalholm/brotli v1.2.6 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/go-faster/city v1.0.1 // indirect
	github.com/go-faster/errors v0.7.1 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/govreport/govreport/dashboard v0.0.0
	github.com/klauspost/compress v1.20.3 // indirect
	github.com/paulmach/orb v0.13.0 // indirect
	github.com/pierrec/lz4/v4 v4.1.27 // indirect
	github.com/segmentio/asm v1.2.1 // indirect
	github.com/shopspring/decimal v1.5.0 // indirect
	go.opentelemetry.io/otel v1.47.0 // indirect
	go.opentelemetry.io/otel/trace v1.47.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)

replace (
	github.com/govreport/govreport/alerter => ../../alerter
	github.com/govreport/govreport/crawler => ../../crawler
	github.com/govreport/govreport/extractor => ../../extractor
	github.com/govreport/govreport/loader => ../../loader
	github.com/govreport/govreport/pkg => ../../pkg
)

replace github.com/govreport/govreport/dashboard => ../../dashboard
