package extractor

// Version names this build of the extractor in every record (ParserVersion). It is
// set at build time: -ldflags "-X github.com/govreport/govreport/extractor.Version=…".
var Version = "dev"
