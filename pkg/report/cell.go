package report

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// State says what a cell held in the document.
type State string

// Cell states.
const (
	// StateNumber: a number; Value holds it.
	StateNumber State = "number"
	// StateBlank: empty, "/", "—", "-", "无", "空": the body reported nothing. The value
	// is NULL, not 0 (sums treat it as 0 and say so).
	StateBlank State = "blank"
	// StateText: anything else written in a number cell (words, a negative count, a
	// fraction); Raw keeps it and nothing is coerced.
	StateText State = "text"
	// StateMissing: the cell was not found in the document at all.
	StateMissing State = "missing"
)

// Valid reports whether s is a defined state.
func (s State) Valid() bool {
	switch s {
	case StateNumber, StateBlank, StateText, StateMissing:
		return true
	}
	return false
}

// Unit is the unit of money a document stated for an amount.
type Unit string

// Money units. Amounts are always stored in yuan; Unit keeps what the document said.
const (
	UnitUnknown  Unit = ""   // no unit stated: the number is kept as written, never scaled
	UnitYuan     Unit = "元"  // 元
	UnitWan      Unit = "万"  // 万 (10,000)
	UnitWanYuan  Unit = "万元" // 万元 (10,000 元)
	UnitYiYuan   Unit = "亿元" // 亿元 (100,000,000 元)
	UnitThousand Unit = "千元" // 千元 (1,000 元)
)

// YuanFactor returns how many yuan one of the unit is, and false for the unknown unit
// and any unit it does not know.
func (u Unit) YuanFactor() (float64, bool) {
	switch u {
	case UnitYuan:
		return 1, true
	case UnitWan, UnitWanYuan:
		return 10000, true
	case UnitThousand:
		return 1000, true
	case UnitYiYuan:
		return 1e8, true
	}
	return 0, false
}

// Cell is one value of a table with its state and provenance.
type Cell struct {
	// State is what the cell held.
	State State
	// Value is the number when State is StateNumber (counts are integral; amounts
	// are in yuan when Unit is known, else the number as written). Zero otherwise.
	Value float64
	// Raw is the cell's text as found in the document (after whitespace clean-up).
	Raw string
	// Unit is the money unit stated for an amount (section 二 amounts only).
	Unit Unit
	// Src says where the value came from: a table cell ("t2:r5:c3") or a text line
	// ("l123"). Empty for generated records.
	Src string
	// ByPosition is true when the value was placed by its position against the
	// template because its label was missing.
	ByPosition bool
}

// Number returns a number cell.
func Number(v float64) Cell { return Cell{State: StateNumber, Value: v, Raw: formatNumber(v)} }

// Blank returns a blank cell with the raw text that made it blank.
func Blank(raw string) Cell { return Cell{State: StateBlank, Raw: raw} }

// Text returns a text cell.
func Text(raw string) Cell { return Cell{State: StateText, Raw: raw} }

// Missing returns a cell that was not found in the document.
func Missing() Cell { return Cell{State: StateMissing} }

// IsZero reports whether the cell was never set (no state at all).
func (c Cell) IsZero() bool { return c.State == "" }

// Num returns the cell's value for arithmetic: the number for number cells, 0 for
// blanks. ok is false for text and missing cells, which are not assessable.
func (c Cell) Num() (v float64, ok bool) {
	switch c.State {
	case StateNumber:
		return c.Value, true
	case StateBlank:
		return 0, true
	}
	return 0, false
}

// Equal reports whether two cells hold the same state, value, raw text and unit
// (provenance is not compared).
func (c Cell) Equal(o Cell) bool {
	return c.State == o.State && c.Value == o.Value && c.Raw == o.Raw && c.Unit == o.Unit
}

// SameValue reports whether two cells hold the same state and value (and unit), ignoring
// raw text and provenance: what analysts see.
func (c Cell) SameValue(o Cell) bool {
	return c.State == o.State && c.Value == o.Value && c.Unit == o.Unit
}

// String renders the cell for messages: the number, "blank", "text(…)" or "missing".
func (c Cell) String() string {
	switch c.State {
	case StateNumber:
		return formatNumber(c.Value)
	case StateBlank:
		return "blank"
	case StateText:
		return fmt.Sprintf("text(%q)", c.Raw)
	case StateMissing:
		return "missing"
	}
	return "unset"
}

func formatNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

type cellJSON struct {
	State      State    `json:"state"`
	Value      *float64 `json:"value,omitempty"`
	Raw        string   `json:"raw,omitempty"`
	Unit       Unit     `json:"unit,omitempty"`
	Src        string   `json:"src,omitempty"`
	ByPosition bool     `json:"by_position,omitempty"`
}

// MarshalJSON writes the value only for number cells, so that a blank is never
// mistaken for a 0.
func (c Cell) MarshalJSON() ([]byte, error) {
	j := cellJSON{State: c.State, Raw: c.Raw, Unit: c.Unit, Src: c.Src, ByPosition: c.ByPosition}
	if c.State == StateNumber {
		v := c.Value
		j.Value = &v
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a cell and checks that its state is defined and that only
// number cells carry a value.
func (c *Cell) UnmarshalJSON(b []byte) error {
	var j cellJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	if !j.State.Valid() {
		return fmt.Errorf("cell: unknown state %q", j.State)
	}
	if j.State == StateNumber && j.Value == nil {
		return fmt.Errorf("cell: number without a value")
	}
	if j.State != StateNumber && j.Value != nil {
		return fmt.Errorf("cell: %s cell with a value", j.State)
	}
	*c = Cell{State: j.State, Raw: j.Raw, Unit: j.Unit, Src: j.Src, ByPosition: j.ByPosition}
	if j.Value != nil {
		c.Value = *j.Value
	}
	return nil
}
