package regions

import "github.com/govreport/govreport/pkg/report"

// Input is what is known of a document's publisher.
type Input struct {
	// Body is the publishing body as the document names it (德惠市岔路口镇人民政府,
	// 宿城區王官集鎮人民政府, 县发改局, 高新区(近海镇)).
	Body string
	// Site is the region the portal is configured with.
	Site report.Region
	// Domain is the host (or URL) the document was fetched from.
	Domain string
	// SiteIDCode is the portal's 网站标识码: its first six digits are usually the
	// division code of the government that runs it.
	SiteIDCode string
	// Text is the report's text; its first MaxText bytes are searched for the names
	// of the divisions above the body.
	Text string
}

// maxBody is how much of Input.Body Resolve reads, in bytes.
const maxBody = 400

// MaxText is how much of Input.Text Resolve reads.
const MaxText = 32 << 10

// Result places a body in the divisions.
type Result struct {
	// Region is the body's place. Codes are only ever copied from the table: a
	// division the table does not know, or cannot tell from its namesakes, has its
	// name (the report's own) but no code.
	Region report.Region `json:"region"`
	// Level is the body's level: a government's (province … township), department
	// for a department or a development zone's committee, unknown when the body
	// says too little.
	Level report.Level `json:"level"`
	// DivisionLevel is the level of the division the body belongs to: the level of
	// Region for a department (县发改局 → county). It equals Level for a government.
	DivisionLevel report.Level `json:"division_level"`
	// Department is the department's full name without its place (发展和改革局), for
	// departments.
	Department string `json:"department,omitempty"`
	// Zone is the development zone, new area or similar functional area the body
	// names (高新区): not an administrative division, so it has no code.
	Zone string `json:"zone,omitempty"`
	// Confidence in [0,1] that Region's most precise code is the body's; 0 when no
	// code was given.
	Confidence float64 `json:"confidence"`
	// Evidence says, step by step, what the decision rests on.
	Evidence []string `json:"evidence"`
	// Reason says why the region is less precise than the body, when it is.
	Reason string `json:"reason,omitempty"`
	// Candidates are the codes (at most 10) of the divisions a name left open.
	Candidates []string `json:"candidates,omitempty"`
}
