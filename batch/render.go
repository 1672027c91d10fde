package batch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gongwen/problem"
	"gongwen/report"
)

// rendering is what one input became: the outputs in the order of the
// requested formats, or why there are none.
type rendering struct {
	template string
	problems []problem.Problem
	status   Status
	err      error
	outputs  [][]byte
}

// OutcomeRenderer is implemented by engines that can render an input they
// have already validated (the Outcome of a Render call) in another format
// without validating it again. A batch renders every input in two
// formats; when the engine has this method the validation (a tenth of the
// work) is done once.
type OutcomeRenderer interface {
	RenderOutcome(ctx context.Context, o *report.Outcome, format report.Format, opts report.Options) ([]byte, error)
}

// renderInput renders raw in every format. It never panics: a panic in the
// engine is an error of this input only, so one bad report cannot stop a
// batch of thousands.
func renderInput(ctx context.Context, engine report.Engine, raw []byte, formats []report.Format, opts report.Options, timeout time.Duration) (r rendering) {
	defer func() {
		if p := recover(); p != nil {
			r = rendering{template: r.template, problems: r.problems, status: StatusError,
				// The stack is not recorded: it names goroutines and
				// addresses, which would make the manifest differ run to run.
				err: fmt.Errorf("internal error: panic: %v", p)}
		}
	}()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	r.status = StatusRendered
	var first *report.Outcome
	for i, f := range formats {
		var data []byte
		var outcome *report.Outcome
		var err error
		if or, ok := engine.(OutcomeRenderer); ok && i > 0 && first != nil {
			data, err = or.RenderOutcome(ctx, first, f, opts)
			outcome = first
		} else {
			data, outcome, err = engine.Render(ctx, raw, f, opts)
			first = outcome
		}
		if outcome != nil && r.template == "" {
			r.template = outcome.TemplateID
			r.problems = outcome.Problems
			if !outcome.Valid() {
				r.status = StatusRenderedWithErrors
			}
		}
		if err != nil {
			r.status, r.err, r.outputs = classify(err), err, nil
			return r
		}
		r.outputs = append(r.outputs, data)
	}
	return r
}

// classify tells a bad input (it will fail again: failed) from a failure
// of the batch itself (retried on the next run: error).
func classify(err error) Status {
	switch {
	case errors.Is(err, report.ErrInvalid), errors.Is(err, report.ErrMalformed),
		errors.Is(err, report.ErrUnknownTemplate), errors.Is(err, report.ErrTooLarge),
		errors.Is(err, ErrTooLarge), errors.Is(err, ErrUnsafeZip), errors.Is(err, ErrTooManyInputs),
		errors.Is(err, ErrNotRegular):
		return StatusFailed
	}
	return StatusError
}

// inputProblems words why an input could not be read at all, for the
// manifest's problems: a refused zip names the entry and the reason in the
// clerk's language. Other read errors are in the entry's error only.
func inputProblems(err error, lang string) []problem.Problem {
	var ze *ZipError
	if !errors.As(err, &ze) {
		return nil
	}
	return []problem.Problem{{Severity: problem.Error, Rule: "zip", Message: problem.Pick(lang, ze.Message(), ze.Error())}}
}
