package report

import (
	"encoding/json"
	"fmt"
	"time"
)

// SchemaVersion is the version of the record's JSON encoding. It changes when a field
// changes meaning or is removed; adding a field does not change it.
const SchemaVersion = 1

// Record is the canonical record of one annual report document.
type Record struct {
	// Schema is the JSON schema version (SchemaVersion when produced by this code).
	Schema int `json:"schema"`
	// Meta describes the document and its publisher.
	Meta Meta `json:"meta"`
	// Template is the template the document's labels follow.
	Template Template `json:"template"`
	// Applications is section 三, the application table.
	Applications ApplicationTable `json:"applications"`
	// Review is section 四, administrative review and litigation.
	Review ReviewTable `json:"review"`
	// Disclosure is section 二, proactive disclosure.
	Disclosure DisclosureTable `json:"disclosure"`
	// Findings are the results of the consistency rules and the extractor's doubts.
	Findings []Finding `json:"findings"`
	// Confidence in [0,1] says how much the extraction can be trusted: 1 for a
	// well-labelled table, lower for values placed by position or read from prose.
	Confidence float64 `json:"confidence"`
}

// Meta is the metadata every record carries.
type Meta struct {
	// DocID identifies the document: a hash of its canonical URL (see package rawdoc).
	DocID string `json:"doc_id"`
	// SourceURL is the URL the document was fetched from, or the file it was read from.
	SourceURL string `json:"source_url"`
	// Site is the configured site (portal) the document was found on.
	Site string `json:"site,omitempty"`
	// Body is the publishing body (发布机构), e.g. 德惠市岔路口镇人民政府.
	Body string `json:"body"`
	// Title is the document's title.
	Title string `json:"title,omitempty"`
	// Year is the report year: the year the statistics cover (not the publication year).
	Year int `json:"year"`
	// Level is the administrative level of the body.
	Level Level `json:"level,omitempty"`
	// Region places the body in the administrative divisions.
	Region Region `json:"region"`
	// PublishedAt is the publication date as YYYY-MM-DD, when known.
	PublishedAt string `json:"published_at,omitempty"`
	// FetchedAt is when the crawler fetched the document (zero for local files).
	FetchedAt time.Time `json:"fetched_at,omitzero"`
	// ContentSHA256 is the hex SHA-256 of the document body as fetched.
	ContentSHA256 string `json:"content_sha256,omitempty"`
	// ParserVersion names the extractor build that produced the record.
	ParserVersion string `json:"parser_version"`
	// ExtractedAt is when the record was produced. Its nanoseconds are the record's
	// version in ClickHouse: a later extraction of the same document replaces an
	// earlier one, and a replay of the same message replaces itself.
	ExtractedAt time.Time `json:"extracted_at"`
	// SiteIDCode is the portal's 网站标识码 from its <meta name="SiteIDCode">.
	SiteIDCode string `json:"site_id_code,omitempty"`
	// PageMeta holds the portal's standard <meta> tags (SiteName, ColumnName, …).
	PageMeta map[string]string `json:"page_meta,omitempty"`
	// Placement says how Region and Level were decided, when a resolver decided them.
	Placement *Placement `json:"placement,omitempty"`
	// Archive locates the raw document the record was read from in the pipeline's
	// archive (the RAW stream), when it came through the pipeline.
	Archive *Archive `json:"archive,omitempty"`
}

// Archive is where a raw document is kept: a stream and its sequence there.
type Archive struct {
	Stream string `json:"stream"`
	Seq    uint64 `json:"seq"`
}

// Placement is the evidence behind a record's region and level.
type Placement struct {
	// DivisionLevel is the level of the division the body belongs to (a county's
	// department has Level department and DivisionLevel county).
	DivisionLevel Level `json:"division_level,omitempty"`
	// Department is the department's name when the body is one (发展和改革局).
	Department string `json:"department,omitempty"`
	// Zone names a development zone or new area the body belongs to, which is not a
	// division and has no code of its own (高新区).
	Zone string `json:"zone,omitempty"`
	// Confidence in [0,1] in the placement; 0 when nothing could be placed.
	Confidence float64 `json:"confidence"`
	// Evidence lists what the placement rests on, in words.
	Evidence []string `json:"evidence,omitempty"`
	// Reason says why a code is unknown, when it is.
	Reason string `json:"reason,omitempty"`
}

// Region places a body in China's administrative divisions.
type Region struct {
	Province     string `json:"province,omitempty"`
	City         string `json:"city,omitempty"`
	County       string `json:"county,omitempty"`
	Township     string `json:"township,omitempty"`
	Code         string `json:"code,omitempty"`          // 6-digit 行政区划代码 of the most precise known division above township
	TownshipCode string `json:"township_code,omitempty"` // 9-digit code when the body is a township
}

// ProvinceCode returns the 2-digit province part of the region code, or "" when the
// code is unknown.
func (r Region) ProvinceCode() string {
	if len(r.Code) >= 2 {
		return r.Code[:2]
	}
	return ""
}

// Version returns the record's version for replacing rows: ExtractedAt in nanoseconds.
func (r *Record) Version() uint64 {
	if r.Meta.ExtractedAt.IsZero() {
		return 0
	}
	return uint64(r.Meta.ExtractedAt.UnixNano())
}

// ApplicationTable is section 三: a cell per row and applicant column.
type ApplicationTable map[Row]map[Col]Cell

// Get returns the cell at row r and column c (the zero Cell when absent).
func (t ApplicationTable) Get(r Row, c Col) Cell { return t[r][c] }

// Set stores a cell.
func (t ApplicationTable) Set(r Row, c Col, v Cell) {
	if t[r] == nil {
		t[r] = make(map[Col]Cell, len(Cols))
	}
	t[r][c] = v
}

// HasRow reports whether the table holds any cell of row r.
func (t ApplicationTable) HasRow(r Row) bool { return len(t[r]) > 0 }

// ReviewTable is section 四: a cell per group and outcome.
type ReviewTable map[ReviewGroup]map[Outcome]Cell

// Get returns the cell of group g and outcome o.
func (t ReviewTable) Get(g ReviewGroup, o Outcome) Cell { return t[g][o] }

// Set stores a cell.
func (t ReviewTable) Set(g ReviewGroup, o Outcome, v Cell) {
	if t[g] == nil {
		t[g] = make(map[Outcome]Cell, len(Outcomes))
	}
	t[g][o] = v
}

// DisclosureTable is section 二: a cell per item and metric.
type DisclosureTable map[Item]map[Metric]Cell

// Get returns the cell of item i and metric m.
func (t DisclosureTable) Get(i Item, m Metric) Cell { return t[i][m] }

// Set stores a cell.
func (t DisclosureTable) Set(i Item, m Metric, v Cell) {
	if t[i] == nil {
		t[i] = make(map[Metric]Cell, 3)
	}
	t[i][m] = v
}

// New returns an empty record of the current schema with its tables allocated.
func New() *Record {
	return &Record{
		Schema:       SchemaVersion,
		Applications: ApplicationTable{},
		Review:       ReviewTable{},
		Disclosure:   DisclosureTable{},
		Findings:     []Finding{},
	}
}

// Marshal encodes the record as JSON.
func (r *Record) Marshal() ([]byte, error) { return json.Marshal(r) }

// Unmarshal decodes a record and checks its schema version and codes.
func Unmarshal(b []byte) (*Record, error) {
	r := New()
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("decode record: %w", err)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return r, nil
}

// Validate checks that a decoded record uses this schema version and only canonical
// codes, so that nothing unknown reaches ClickHouse.
func (r *Record) Validate() error {
	if r.Schema != SchemaVersion {
		return fmt.Errorf("record schema %d: this build reads schema %d", r.Schema, SchemaVersion)
	}
	if !r.Template.Valid() {
		return fmt.Errorf("record: unknown template %q", r.Template)
	}
	for row, cols := range r.Applications {
		if !knownRow[row] {
			return fmt.Errorf("record: unknown application row %q", row)
		}
		for c := range cols {
			if !knownCol[c] {
				return fmt.Errorf("record: unknown application column %q", c)
			}
		}
	}
	for g, outs := range r.Review {
		if !knownGroup[g] {
			return fmt.Errorf("record: unknown review group %q", g)
		}
		for o := range outs {
			if !knownOutcome[o] {
				return fmt.Errorf("record: unknown review outcome %q", o)
			}
		}
	}
	for it, ms := range r.Disclosure {
		if _, ok := ItemLabels[it]; !ok {
			return fmt.Errorf("record: unknown disclosure item %q", it)
		}
		for m := range ms {
			if _, ok := MetricLabels[m]; !ok {
				return fmt.Errorf("record: unknown disclosure metric %q", m)
			}
		}
	}
	return nil
}

var (
	knownRow     = setOf(AllRows)
	knownCol     = setOf(Cols)
	knownGroup   = setOf(ReviewGroups)
	knownOutcome = setOf(Outcomes)
)

func setOf[T comparable](xs []T) map[T]bool {
	m := make(map[T]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}
