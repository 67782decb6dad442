package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// version is stamped at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr}
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "govreport:", err)
		}
		os.Exit(exitCode(err))
	}
}

// exitCode is 2 for usage errors and 1 for everything else.
func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// usageError marks a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Main is the program: its output streams and its subcommands.
type Main struct {
	Stdout io.Writer
	Stderr io.Writer
}

// command is one subcommand.
type command interface {
	// flags returns the subcommand's flag set; Run parses args with it.
	flags() *flag.FlagSet
	// run executes the subcommand with its remaining arguments.
	run(ctx context.Context, args []string) error
}

// commands lists the subcommands with their one-line descriptions.
func (m *Main) commands() map[string]struct {
	about string
	make  func() command
} {
	type entry = struct {
		about string
		make  func() command
	}
	return map[string]entry{
		"run":        {"run the pipeline: embedded NATS, ClickHouse and every stage", func() command { return newRunCmd(m) }},
		"crawl":      {"run the crawler stage against an external NATS", func() command { return newStageCmd(m, "crawl") }},
		"extract":    {"run the extractor stage against an external NATS", func() command { return newStageCmd(m, "extract") }},
		"load":       {"run the loader stage against an external NATS and ClickHouse", func() command { return newStageCmd(m, "load") }},
		"alert":      {"run the alerter stage against an external NATS and ClickHouse", func() command { return newStageCmd(m, "alert") }},
		"serve":      {"serve the web dashboard over NATS and ClickHouse", func() command { return newStageCmd(m, "serve") }},
		"alerts":     {"list open (or resolved) alerts with filters", func() command { return newAlertsCmd(m) }},
		"parse":      {"print the structured record of documents, one JSON line each", func() command { return newParseCmd(m) }},
		"reparse":    {"run the parser again over the archived raw documents (after an upgrade)", func() command { return newReparseCmd(m) }},
		"migrate":    {"apply the ClickHouse migrations and set up the NATS streams (idempotent)", func() command { return newMigrateCmd(m) }},
		"sql":        {"run a query against ClickHouse and print the result table", func() command { return newSQLCmd(m) }},
		"samplesite": {"serve the generated sample portal (and write its expected records)", func() command { return newSampleSiteCmd(m) }},
		"version":    {"print the version", func() command { return newVersionCmd(m) }},
	}
}

// Run dispatches args to a subcommand.
func (m *Main) Run(ctx context.Context, args []string) error {
	cmds := m.commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		m.usage(cmds)
		if len(args) == 0 {
			return usageError{"no command given"}
		}
		return nil
	}
	e, ok := cmds[args[0]]
	if !ok {
		m.usage(cmds)
		return usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	c := e.make()
	fs := c.flags()
	fs.SetOutput(m.Stderr)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err.Error()}
	}
	return c.run(ctx, fs.Args())
}

func (m *Main) usage(cmds map[string]struct {
	about string
	make  func() command
}) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("govreport turns Open Government Information annual reports into data.\n\nUsage: govreport <command> [flags]\n\nCommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-11s %s\n", n, cmds[n].about)
	}
	b.WriteString("\nRun 'govreport <command> -h' for a command's flags.\n")
	fmt.Fprint(m.Stderr, b.String())
}

// newFlagSet returns a flag set whose usage names the command and what it does.
func newFlagSet(name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: govreport %s %s\n\n%s\n\nFlags:\n", name, synopsis, about)
		fs.PrintDefaults()
	}
	return fs
}

type versionCmd struct{ m *Main }

func newVersionCmd(m *Main) *versionCmd { return &versionCmd{m} }

func (c *versionCmd) flags() *flag.FlagSet {
	return newFlagSet("version", "", "Print the version of the binary (also the extractor's parser version).")
}

func (c *versionCmd) run(context.Context, []string) error {
	fmt.Fprintln(c.m.Stdout, "govreport", version)
	return nil
}

// progressWriter is where the crawler draws its progress line: standard error when
// it is a terminal, nowhere otherwise (logs say the same in structured form).
func (m *Main) progressWriter() io.Writer {
	if isTerminal(m.Stderr) {
		return m.Stderr
	}
	return nil
}
