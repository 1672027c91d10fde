// Package reportgen generates realistic, varied and internally consistent
// annual reports (report JSON, ../../shared/spec/report-json.md) for tests,
// benchmarks and demos.
//
// A series is fixed by a seed: report i of seed s is the same bytes on every
// machine and every run, independently of the other reports, so a batch of a
// million can be generated lazily or in parallel. Unless asked to break a
// rule, every report satisfies R1–R4 of the annual-report format exactly:
// totals are computed from their parts, blank and "/" cells are used only
// where the value is zero, and the figures quoted in the prose agree with
// the tables.
package reportgen
