package report

import (
	"context"
	"errors"
)

// Config configures a Pipeline.
type Config struct {
	// TemplateDirs are extra directories of templates loaded after the
	// embedded ones (flag --templates or GONGWEN_TEMPLATE_DIRS).
	TemplateDirs []string
}

// Pipeline implements Engine.
type Pipeline struct{}

var _ Engine = (*Pipeline)(nil)

// New loads and compiles every template and the font book once.
func New(cfg Config) (*Pipeline, error) { return nil, errors.New("report: not built yet") }

func (p *Pipeline) Validate(ctx context.Context, raw []byte, opts Options) (*Outcome, error) {
	return nil, errors.New("report: not built yet")
}

func (p *Pipeline) Render(ctx context.Context, raw []byte, format Format, opts Options) ([]byte, *Outcome, error) {
	return nil, nil, errors.New("report: not built yet")
}

func (p *Pipeline) Templates() []TemplateInfo { return nil }

func (p *Pipeline) Template(id string) (TemplateInfo, bool) { return TemplateInfo{}, false }
