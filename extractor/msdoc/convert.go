package msdoc

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/govreport/govreport/extractor/bounds"
)

// Converter runs wvWare.
type Converter struct {
	// WvWare is the wvWare program: a name looked up in PATH, or a path.
	WvWare string
	// Config is wvWare's HTML configuration (wvHtml.xml of the wv package).
	Config string
	// MaxOutput bounds the HTML written, in bytes.
	MaxOutput int64
}

// Install says how to get the converter.
const Install = "needs wvWare to read .doc files: apt-get install wv"

// ErrNotWord is returned for a body whose WordDocument stream is missing.
var ErrNotWord = errors.New("no WordDocument stream")

// Encrypted reports whether a Word document's FIB marks it encrypted
// (fEncrypted) or obfuscated (fObfuscated); wordDocument is its WordDocument
// stream.
func Encrypted(wordDocument []byte) bool {
	if len(wordDocument) < 12 {
		return false
	}
	flags := binary.LittleEndian.Uint16(wordDocument[10:12])
	return flags&0x0100 != 0 || flags&0x8000 != 0
}

// ToHTML converts a .doc to HTML (UTF-8).
func (c Converter) ToHTML(ctx context.Context, body []byte) (string, error) {
	prog, err := exec.LookPath(c.WvWare)
	if err != nil {
		return "", bounds.Unsupport(err, "%s", Install)
	}
	if _, err := os.Stat(c.Config); err != nil {
		return "", bounds.Unsupport(err, "%s (wvWare configuration %s not found)", Install, c.Config)
	}
	dir, err := os.MkdirTemp("", "govreport-doc-")
	if err != nil {
		return "", fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.doc")
	if err := os.WriteFile(in, body, 0o600); err != nil {
		return "", fmt.Errorf("write temp file: %w", err)
	}
	run, kill := context.WithCancel(ctx)
	defer kill()
	out := &capped{max: c.MaxOutput, kill: kill}
	stderr := &capped{max: 4096}
	cmd := exec.CommandContext(run, prog, "-x", c.Config, "-d", dir, "-b", "img", in)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir, "LANG=C.UTF-8"}
	cmd.Stdin = nil
	cmd.Stdout = out
	cmd.Stderr = stderr
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	switch {
	case out.over:
		return "", bounds.Exceed(c.MaxOutput, "wvWare wrote more HTML than the limit of")
	case ctx.Err() != nil:
		return "", bounds.TimeoutError(ctx.Err())
	case err != nil:
		return "", bounds.Unsupport(err, "wvWare cannot convert this document: %s", strings.TrimSpace(stderr.String()))
	}
	if out.Len() == 0 {
		return "", bounds.Unsupport(nil, "wvWare wrote nothing for this document")
	}
	return fixHTML(out.String())
}

// capped is a buffer that stops accepting bytes past max and says so: it kills
// the process (kill, when set), and its write error stops the command's copy.
// Extra bytes of a stream without kill (stderr) are dropped silently.
type capped struct {
	bytes.Buffer
	max  int64
	kill context.CancelFunc
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	if int64(c.Len()+len(p)) > c.max {
		if c.kill == nil {
			c.Buffer.Write(p[:max(0, int(c.max)-c.Len())])
			return len(p), nil
		}
		c.over = true
		c.kill()
		return 0, errors.New("output over the limit")
	}
	return c.Buffer.Write(p)
}
