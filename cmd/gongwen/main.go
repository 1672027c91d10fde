// Command gongwen renders official Chinese documents from report JSON.
//
// It is wiring only: each subcommand declares its flags and calls a package
// (report, api, batch, fonts) that does the work. The conventions every
// subcommand shares live here, in dispatch, so a new subcommand gets them
// without doing anything: flags may stand before, between or after the file
// arguments (gongwen render report.json -o x.pdf), "--" ends the flags,
// and -h/--help prints the usage to standard output and exits 0.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// An action runs a subcommand with its positional arguments (flags already
// parsed, wherever they stood) and returns the process exit code. Usage
// errors print fs.Usage (which then writes to stderr) and return 2.
type action func(args []string, stdout, stderr io.Writer) int

// A command declares its flags on the flag set dispatch gives it and
// returns the action that runs once they are parsed.
type command struct {
	summary string
	usage   string // synopsis and notes printed above the flag list
	define  func(fs *flag.FlagSet) action
}

var commands = map[string]command{}

// register is called from init functions of the per-command files so that
// each subcommand lives in one file.
func register(name, summary, usage string, define func(fs *flag.FlagSet) action) {
	commands[name] = command{summary: summary, usage: usage, define: define}
}

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return 0
	case "help":
		if len(args) > 1 {
			return dispatch([]string{args[1], "--help"}, stdout, stderr)
		}
		usage(stdout)
		return 0
	case "version", "--version":
		fmt.Fprintf(stdout, "gongwen %s\n", version)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "gongwen: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	run := cmd.define(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), strings.TrimRight(cmd.usage, "\n"))
		fmt.Fprintln(fs.Output(), "\nFlags may come before or after the file arguments; -- ends them.")
		fs.PrintDefaults()
	}
	rest, err := parseInterspersed(fs, args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return 0
	case err != nil:
		fmt.Fprintf(stderr, "gongwen %s: %v\n", args[0], err)
		fmt.Fprintf(stderr, "run 'gongwen %s --help' for usage\n", args[0])
		return 2
	}
	fs.SetOutput(stderr)
	return run(rest, stdout, stderr)
}

// parseInterspersed accepts flags before, between and after the positional
// arguments (gongwen batch in/ --out x), and everything after "--" as
// positional. The flag package stops at the first non-flag; this resumes
// after it. Errors are returned, not printed: dispatch decides where the
// usage goes.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest, after []string
	for i, a := range args {
		if a == "--" {
			args, after = args[:i], args[i+1:]
			break
		}
	}
	fs.SetOutput(io.Discard) // the flag package's own messages; dispatch prints ours
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return append(rest, after...), nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: gongwen <command> [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "  %-10s %s\n", "version", "print the version")
	fmt.Fprintln(w, "\n'gongwen <command> --help' describes a command's flags; flags may follow the file arguments.")
}
