module github.com/govreport/govreport/loader

go 1.26

require github.com/govreport/govreport/pkg v0.0.0

replace github.com/govreport/govreport/pkg => ../pkg
