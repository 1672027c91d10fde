package batch

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// jobSpec is the part of a batch/v1 Job the example sets.
type jobSpec struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		CompletionMode       string `yaml:"completionMode"`
		Completions          *int   `yaml:"completions"`
		Parallelism          *int   `yaml:"parallelism"`
		BackoffLimit         *int   `yaml:"backoffLimit"`
		BackoffLimitPerIndex *int   `yaml:"backoffLimitPerIndex"`
		MaxFailedIndexes     *int   `yaml:"maxFailedIndexes"`
		PodFailurePolicy     *struct {
			Rules []struct {
				Action      string `yaml:"action"`
				OnExitCodes *struct {
					ContainerName string `yaml:"containerName"`
					Operator      string `yaml:"operator"`
					Values        []int  `yaml:"values"`
				} `yaml:"onExitCodes"`
				OnPodConditions []struct {
					Type   string `yaml:"type"`
					Status string `yaml:"status"`
				} `yaml:"onPodConditions"`
			} `yaml:"rules"`
		} `yaml:"podFailurePolicy"`
		Template struct {
			Spec struct {
				RestartPolicy  string                  `yaml:"restartPolicy"`
				Containers     []struct{ Name string } `yaml:"containers"`
				InitContainers []struct{ Name string } `yaml:"initContainers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type container struct {
	Name         string           `yaml:"name"`
	Image        string           `yaml:"image"`
	Command      []string         `yaml:"command"`
	Args         []string         `yaml:"args"`
	Env          []map[string]any `yaml:"env"`
	Resources    map[string]any   `yaml:"resources"`
	VolumeMounts []map[string]any `yaml:"volumeMounts"`
}

// TestKubernetesJobExample checks the Indexed Job of batch/README.md
// against the Job API's validation rules (k8s.io/kubernetes
// pkg/apis/batch/validation) and against the exit statuses of gongwen
// batch (issue 14 item 19).
func TestKubernetesJobExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var block string
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		if strings.Contains(m[1], "kind: Job") {
			block = m[1]
		}
	}
	if block == "" {
		t.Fatal("no Job example in README.md")
	}
	var job jobSpec
	if err := yaml.Unmarshal([]byte(block), &job); err != nil {
		t.Fatalf("the example does not parse as a Job: %v", err)
	}
	// A field at the wrong level is silently dropped by the API server's
	// older versions and refused by newer ones: check the levels that
	// matter here (JobSpec and the pod template's spec) hold only known
	// fields.
	var raw struct {
		Spec map[string]any `yaml:"spec"`
	}
	yaml.Unmarshal([]byte(block), &raw)
	jobFields := []string{"activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex", "completionMode", "completions",
		"managedBy", "manualSelector", "maxFailedIndexes", "parallelism", "podFailurePolicy", "podReplacementPolicy",
		"selector", "successPolicy", "suspend", "template", "ttlSecondsAfterFinished"}
	for k := range raw.Spec {
		if !slices.Contains(jobFields, k) {
			t.Errorf("spec.%s is not a JobSpec field", k)
		}
	}
	if tpl, ok := raw.Spec["template"].(map[string]any); ok {
		if ps, ok := tpl["spec"].(map[string]any); ok {
			for _, k := range []string{"podFailurePolicy", "backoffLimit", "backoffLimitPerIndex", "completions"} {
				if _, bad := ps[k]; bad {
					t.Errorf("spec.template.spec.%s belongs in the JobSpec", k)
				}
			}
		}
	}
	s := job.Spec
	if job.APIVersion != "batch/v1" || job.Kind != "Job" {
		t.Errorf("apiVersion %q kind %q", job.APIVersion, job.Kind)
	}
	if s.CompletionMode != "Indexed" || s.Completions == nil || s.Parallelism == nil || *s.Completions < 1 {
		t.Error("an Indexed Job needs completionMode: Indexed and completions (the shard count)")
	}
	if s.BackoffLimitPerIndex != nil && s.CompletionMode != "Indexed" {
		t.Error("backoffLimitPerIndex requires completionMode: Indexed")
	}
	if s.MaxFailedIndexes != nil && (s.BackoffLimitPerIndex == nil || s.Completions == nil || *s.MaxFailedIndexes > *s.Completions) {
		t.Error("maxFailedIndexes requires backoffLimitPerIndex and may not exceed completions")
	}
	pfp := s.PodFailurePolicy
	if pfp == nil {
		t.Fatal("no podFailurePolicy: exit 1 (invalid inputs) would be retried like a crash")
	}
	if s.Template.Spec.RestartPolicy != "Never" {
		t.Errorf("restartPolicy %q: a podFailurePolicy requires Never", s.Template.Spec.RestartPolicy)
	}
	if len(pfp.Rules) == 0 || len(pfp.Rules) > 20 {
		t.Errorf("%d rules: the API allows 1 to 20", len(pfp.Rules))
	}
	var names []string
	for _, c := range append(s.Template.Spec.Containers, s.Template.Spec.InitContainers...) {
		names = append(names, c.Name)
	}
	// first returns the action of the first rule matching exit code code
	// of container gongwen ("" when none matches: the default, Count).
	first := func(code int) string {
		for _, r := range pfp.Rules {
			if r.OnExitCodes == nil || (r.OnExitCodes.ContainerName != "" && r.OnExitCodes.ContainerName != "gongwen") {
				continue
			}
			if slices.Contains(r.OnExitCodes.Values, code) == (r.OnExitCodes.Operator == "In") {
				return r.Action
			}
		}
		return ""
	}
	for i, r := range pfp.Rules {
		if !slices.Contains([]string{"FailJob", "FailIndex", "Ignore", "Count"}, r.Action) {
			t.Errorf("rule %d: action %q", i, r.Action)
		}
		if r.Action == "FailIndex" && s.BackoffLimitPerIndex == nil {
			t.Errorf("rule %d: FailIndex requires backoffLimitPerIndex", i)
		}
		if (r.OnExitCodes == nil) == (len(r.OnPodConditions) == 0) {
			t.Errorf("rule %d: exactly one of onExitCodes and onPodConditions", i)
		}
		if e := r.OnExitCodes; e != nil {
			if e.Operator != "In" && e.Operator != "NotIn" {
				t.Errorf("rule %d: operator %q", i, e.Operator)
			}
			if len(e.Values) == 0 || len(e.Values) > 255 || !slices.IsSorted(e.Values) || len(slices.Compact(slices.Clone(e.Values))) != len(e.Values) {
				t.Errorf("rule %d: values %v must be 1 to 255, sorted, without duplicates", i, e.Values)
			}
			if e.Operator == "In" && slices.Contains(e.Values, 0) {
				t.Errorf("rule %d: 0 is not allowed with In", i)
			}
			if e.ContainerName != "" && !slices.Contains(names, e.ContainerName) {
				t.Errorf("rule %d: containerName %q is no container of the pod", i, e.ContainerName)
			}
		}
		if len(r.OnPodConditions) > 20 {
			t.Errorf("rule %d: more than 20 pod conditions", i)
		}
		for _, pc := range r.OnPodConditions {
			if pc.Type == "" || (pc.Status != "" && !slices.Contains([]string{"True", "False", "Unknown"}, pc.Status)) {
				t.Errorf("rule %d: pod condition %+v", i, pc)
			}
		}
	}
	// What each exit status of gongwen batch must lead to.
	for code, want := range map[int]string{
		1:   "FailIndex", // done, some inputs invalid: retrying changes nothing
		2:   "FailJob",   // usage: every shard fails alike
		3:   "Count",     // could not run / retryable errors: retried, resumes
		130: "Count",     // SIGTERM: retried, resumes
		137: "Count",     // OOM-killed: retried, resumes
	} {
		got := first(code)
		if got == "" {
			got = "Count"
		}
		if got != want {
			t.Errorf("exit %d: the policy says %s, want %s", code, got, want)
		}
	}
}
