// Command genattach writes the attachment fixtures the extractor's tests read
// (extractor/testdata/attach): generated reports and the seed reports rendered as
// .docx and .xlsx, and converted by LibreOffice to .pdf, .doc and .xls. Run it from
// the extractor module: `go generate ./...` or `make attach-fixtures` (needs
// libreoffice-writer-nogui, libreoffice-calc-nogui and fonts-wqy-microhei).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/govreport/govreport/extractor/internal/attachfixtures"
)

func main() {
	out := flag.String("out", "testdata/attach", "directory to write the fixtures to")
	seeds := flag.String("seeds", "testdata/seeds", "directory of the seed texts")
	soffice := flag.String("soffice", "soffice", "the LibreOffice program")
	flag.Parse()
	if err := attachfixtures.Generate(*out, *seeds, *soffice); err != nil {
		fmt.Fprintln(os.Stderr, "genattach:", err)
		os.Exit(1)
	}
}
