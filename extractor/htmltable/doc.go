// Package htmltable turns an HTML <table> into a grid: rowspan and colspan expanded
// so that every row lists its logical cells with their grid column, each cell's text
// read the way a reader sees it — text split across tags joined ("2</span><span>3" is
// 23), <br> and paragraphs as line breaks, non-breaking spaces as spaces, nested
// tables left to be read on their own.
package htmltable
