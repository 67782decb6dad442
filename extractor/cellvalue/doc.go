// Package cellvalue reads the text of one statistics cell into a report.Cell: a
// number (thousands separators and full-width digits allowed), a blank ("", "/", "—",
// "无", …), an amount of money converted to yuan with the unit the document stated,
// or text that is kept as written and never coerced.
package cellvalue
