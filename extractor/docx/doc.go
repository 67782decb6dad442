// Package docx reads a WordprocessingML document (.docx, and the .wps files WPS
// Office saves as OOXML) into a grid.Document: paragraphs become lines, tables
// become grids with merged cells expanded (w:gridSpan across columns, w:vMerge
// restart/continue down rows, w:gridBefore offsets), nested tables become grids of
// their own after the table holding them, and text split across runs is joined
// (w:tab is a tab, w:br and w:cr break the line). Deleted revisions (w:del), field
// instructions and the fallback copies of alternate content are left out.
//
// word/document.xml is read as a token stream under the XML limits of package
// bounds (depth and token count), from a container opened with package safezip.
package docx
