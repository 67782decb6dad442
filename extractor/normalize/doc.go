// Package normalize cleans the text of report documents so that labels and values can
// be compared: full-width ASCII becomes half-width, the many kinds of space become one
// space, traditional characters become simplified, and a label reduces to a Key
// (numbering, notes in brackets, punctuation and spaces removed).
//
// The traditional→simplified conversion is a minimal character table (see
// simplified.go), not a general converter: it covers the characters of the template's
// labels, section headings and metadata words. It is a stop-gap until a maintained
// library that fits the project's licence and start-up budget replaces it.
package normalize
