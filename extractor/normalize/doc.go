// Package normalize cleans the text of report documents so that labels and values can
// be compared: full-width ASCII becomes half-width, the many kinds of space become one
// space, traditional characters become simplified, and a label reduces to a Key
// (numbering, notes in brackets, punctuation and spaces removed).
//
// The traditional→simplified conversion uses the dictionary of the maintained library
// github.com/go-creed/sat (Apache-2.0, compiled in), character by character; it never
// changes simplified text (see simplified.go).
package normalize
