// Package htmldoc reads a report page: its <title>, first <h1> and <meta> tags, the
// element that holds the article (the portal's content container when a known
// selector finds one, otherwise the element holding the most report section
// headings and statistics tables, navigation, sidebars and footers ignored), the
// tables inside it as grids, and its text as lines.
package htmldoc
