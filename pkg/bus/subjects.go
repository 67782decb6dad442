package bus

import (
	"strings"
	"unicode"
)

// Stream names.
const (
	StreamRaw       = "RAW"
	StreamParsed    = "PARSED"
	StreamDead      = "DEAD"
	StreamAlerts    = "ALERTS"
	StreamCrawlJobs = "CRAWL_JOBS"
)

// Subject prefixes. Use the functions below to build full subjects.
const (
	SubjectRaw       = "reports.raw"
	SubjectParsed    = "reports.parsed"
	SubjectRejected  = "reports.rejected"
	SubjectDead      = "reports.dead"
	SubjectAlerts    = "alerts"
	SubjectCrawlJobs = "crawl.jobs"
	// SubjectLoaded carries the loader's notices that a batch reached the warehouse
	// (core NATS, no stream: a notice missed is made up by the alerter's schedule).
	SubjectLoaded = "events.loaded"
)

// Durable consumer names, one per stage that reads a stream.
const (
	ConsumerExtractor = "extractor" // on RAW
	ConsumerLoader    = "loader"    // on PARSED
	ConsumerAlerter   = "alerter"   // on PARSED
	ConsumerCrawler   = "crawler"   // on CRAWL_JOBS
)

// RawBodiesBucket is the object store bucket for raw bodies over the message limit.
const RawBodiesBucket = "raw-bodies"

// Unknown is the token used for an unknown province or site.
const Unknown = "unknown"

// Header names set on pipeline messages.
const (
	HeaderDocID      = "Govreport-Doc-Id"
	HeaderStage      = "Govreport-Stage"
	HeaderError      = "Govreport-Error"
	HeaderStream     = "Govreport-Stream"
	HeaderSubject    = "Govreport-Subject"
	HeaderSequence   = "Govreport-Stream-Seq"
	HeaderDeliveries = "Govreport-Deliveries"
)

// RawSubject is the subject of a raw document of a site in a province (2-digit code).
func RawSubject(province, site string) string {
	return SubjectRaw + "." + Token(province) + "." + Token(site)
}

// ParsedSubject is the subject of a canonical record of a province.
func ParsedSubject(province string) string { return SubjectParsed + "." + Token(province) }

// RejectedSubject is the subject of a rejected document of a province.
func RejectedSubject(province string) string { return SubjectRejected + "." + Token(province) }

// DeadSubject is the dead-letter subject of a stage.
func DeadSubject(stage string) string { return SubjectDead + "." + Token(stage) }

// AlertSubject is the subject of an alert raised by a rule.
func AlertSubject(rule string) string { return SubjectAlerts + "." + Token(rule) }

// CrawlJobSubject is the subject of a crawl job for a site.
func CrawlJobSubject(site string) string { return SubjectCrawlJobs + "." + Token(site) }

// Token turns s into a single subject token: ASCII letters, digits, '-' and '_' are
// kept (letters lower-cased), anything else becomes '_'; an empty result is Unknown.
func Token(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToLower(r))
		case r == '-' || r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return Unknown
	}
	return b.String()
}
