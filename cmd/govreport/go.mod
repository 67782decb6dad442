module github.com/govreport/govreport/cmd/govreport

go 1.26

require (
	github.com/govreport/govreport/alerter v0.0.0
	github.com/govreport/govreport/crawler v0.0.0
	github.com/govreport/govreport/extractor v0.0.0
	github.com/govreport/govreport/loader v0.0.0
	github.com/govreport/govreport/pkg v0.0.0
)

replace (
	github.com/govreport/govreport/alerter => ../../alerter
	github.com/govreport/govreport/crawler => ../../crawler
	github.com/govreport/govreport/extractor => ../../extractor
	github.com/govreport/govreport/loader => ../../loader
	github.com/govreport/govreport/pkg => ../../pkg
)
