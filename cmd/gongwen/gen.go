package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gongwen/gen/reportgen"
)

func init() {
	register("gen", "generate realistic test reports (deterministic from --seed)",
		"usage: gongwen gen [--seed N] [--count N] [--start I] [--break R1,...] (--out DIR | --zip FILE | --ndjson)", defineGen)
}

func defineGen(fs *flag.FlagSet) action {
	seed := fs.Uint64("seed", 1, "seed of the series: the same seed gives the same reports")
	count := fs.Int("count", 10, "number of reports")
	start := fs.Int("start", 0, "index of the first report in the series")
	out := fs.String("out", "", "write report-NNNNNN.json files into this directory")
	zipPath := fs.String("zip", "", "write the reports into this .zip")
	ndjson := fs.Bool("ndjson", false, "write NDJSON (one report per line) to standard output")
	breakRules := fs.String("break", "", "break these rules in every report, comma-separated (R1,R2,R3,R4)")
	return func(args []string, stdout, stderr io.Writer) int {
		sinks := 0
		for _, set := range []bool{*out != "", *zipPath != "", *ndjson} {
			if set {
				sinks++
			}
		}
		if sinks != 1 || len(args) != 0 || *count < 0 || *start < 0 {
			fs.Usage()
			return 2
		}
		var rules []reportgen.Rule
		if *breakRules != "" {
			for _, r := range strings.Split(*breakRules, ",") {
				rules = append(rules, reportgen.Rule(strings.ToUpper(strings.TrimSpace(r))))
			}
		}
		report := func(i int) ([]byte, error) {
			rep := reportgen.Generate(*seed, i)
			for _, r := range rules {
				if err := reportgen.Break(rep, r, *seed, i); err != nil {
					return nil, err
				}
			}
			return rep.JSON(), nil
		}
		name := func(i int) string { return fmt.Sprintf("report-%06d.json", i) }

		var err error
		switch {
		case *out != "":
			err = os.MkdirAll(*out, 0o755)
			for i := *start; err == nil && i < *start+*count; i++ {
				var data []byte
				if data, err = report(i); err == nil {
					err = os.WriteFile(filepath.Join(*out, name(i)), data, 0o644)
				}
			}
		case *zipPath != "":
			err = writeGenZip(*zipPath, *start, *count, name, report)
		default:
			w := bufio.NewWriter(stdout)
			for i := *start; err == nil && i < *start+*count; i++ {
				var data []byte
				if data, err = report(i); err == nil {
					var line bytes.Buffer
					if err = json.Compact(&line, data); err == nil {
						line.WriteByte('\n')
						_, err = w.Write(line.Bytes())
					}
				}
			}
			if err == nil {
				err = w.Flush()
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "gongwen: %v\n", err)
			return 1
		}
		return 0
	}
}

func writeGenZip(path string, start, count int, name func(int) string, report func(int) ([]byte, error)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for i := start; i < start+count; i++ {
		data, err := report(i)
		if err != nil {
			f.Close()
			return err
		}
		// A fixed date keeps the archive byte-identical for a seed.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name(i), Method: zip.Deflate, Modified: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			f.Close()
			return err
		}
		if _, err := w.Write(data); err != nil {
			f.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
