package reportgen_test

import (
	"context"
	"sync"
	"testing"

	"gongwen/gen/reportgen"
	"gongwen/problem"
	"gongwen/report"
)

var (
	engineOnce sync.Once
	engine     *report.Pipeline
	engineErr  error
)

func pipeline(t *testing.T) *report.Pipeline {
	t.Helper()
	engineOnce.Do(func() { engine, engineErr = report.New(report.Config{}) })
	if engineErr != nil {
		t.Fatalf("report.New: %v", engineErr)
	}
	return engine
}

// TestEngineAcceptsGeneratedReports: the engine's own checks find no error
// in generated reports (its R1–R4, schema, size limits and font coverage).
func TestEngineAcceptsGeneratedReports(t *testing.T) {
	p := pipeline(t)
	n := 300
	if testing.Short() {
		n = 50
	}
	for i := range n {
		raw := reportgen.Generate(99, i).JSON()
		out, err := p.Validate(context.Background(), raw, report.DefaultOptions())
		if err != nil {
			t.Fatalf("report %d: %v\n%s", i, err, raw)
		}
		for _, pr := range out.Problems {
			if pr.Severity == problem.Error {
				t.Fatalf("report %d: %s %s %s\n%s", i, pr.Rule, pr.Path, pr.Message, raw)
			}
		}
	}
}

// TestEngineFindsBrokenRules: a report broken on purpose is caught by the
// engine under the same rule.
func TestEngineFindsBrokenRules(t *testing.T) {
	p := pipeline(t)
	for _, rule := range reportgen.Rules {
		for i := range 20 {
			rep := reportgen.Generate(5, i)
			if err := reportgen.Break(rep, rule, 5, i); err != nil {
				t.Fatal(err)
			}
			out, err := p.Validate(context.Background(), rep.JSON(), report.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			rules := map[string]bool{}
			for _, pr := range out.Problems {
				if pr.Severity == problem.Error {
					rules[pr.Rule] = true
				}
			}
			if len(rules) != 1 || !rules[string(rule)] {
				t.Fatalf("%s, report %d: engine found errors %v", rule, i, rules)
			}
		}
	}
}
