package report

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"gongwen/engine"
	"gongwen/problem"
	"gongwen/strictjson"
)

// CheckResult is what CheckTemplate found: the tool a template author
// runs (`gongwen template check DIR`).
type CheckResult struct {
	ID       string
	Problems []problem.Problem // of the example, validated with this template
	Renders  []CheckRender     // one per output format
	// Unresolved lists the pointers of the document (table bindings,
	// paragraph arrays) that lead to no value in the example after
	// defaults: a misspelt binding prints a blank cell for ever.
	Unresolved []engine.PointerUse
}

// CheckRender is the example rendered in one format.
type CheckRender struct {
	Format Format
	Bytes  int
	Err    error
}

// OK reports whether the template passed: an example without errors,
// every format rendered, every pointer resolved.
func (c *CheckResult) OK() bool {
	if problem.HasErrors(c.Problems) || len(c.Unresolved) > 0 {
		return false
	}
	for _, r := range c.Renders {
		if r.Err != nil {
			return false
		}
	}
	return true
}

// Formats lists the output formats this pipeline renders, sorted.
func (p *Pipeline) Formats() []Format {
	var fs []Format
	for f := range p.renderers {
		fs = append(fs, f)
	}
	slices.Sort(fs)
	return fs
}

// CheckTemplate validates the template's example with it, renders the
// example to every format and resolves every pointer against it.
func (p *Pipeline) CheckTemplate(ctx context.Context, id string, opts Options) (*CheckResult, error) {
	t, ok := p.reg.Get(id)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownTemplate, id)
	}
	res := &CheckResult{ID: id}
	out, err := p.validate(ctx, t.ExampleJSON, opts, id)
	if out != nil {
		res.Problems = out.Problems
	}
	if err != nil && !errors.Is(err, ErrMalformed) {
		return nil, err
	}
	if out == nil || out.Data == nil {
		return res, nil
	}
	for _, u := range t.Pointers() {
		if _, found := strictjson.Get(out.Data, u.Pointer); !found {
			res.Unresolved = append(res.Unresolved, u)
		}
	}
	for _, f := range p.Formats() {
		b, err := p.RenderOutcome(ctx, out, f, opts)
		res.Renders = append(res.Renders, CheckRender{Format: f, Bytes: len(b), Err: err})
	}
	return res, nil
}
