// Package api is gongwen's HTTP service: render and validate report JSON,
// render batches, describe the loaded templates, and serve the clerk's web
// page.
//
//	POST /api/v1/render?format=pdf|docx   the file; 422 with problems when the report has errors
//	POST /api/v1/validate                 {"valid": bool, "problems": [...]}
//	POST /api/v1/preview                  problems plus the document model, cells carrying JSON Pointers
//	POST /api/v1/next-year                this year's draft from last year's report (the template's nextYear)
//	POST /api/v1/batch?format=pdf,docx    a zip of many reports' outputs and a manifest
//	GET  /api/v1/templates[/{id}]         templates; one with its JSON Schema, example and form description
//	GET  /api/v1/openapi.json             the OpenAPI 3.1 description of all of this
//	GET  /healthz, /readyz, /metrics      liveness, readiness (templates, fonts), Prometheus
//	GET  /                                the web page (embedded HTML/JS/CSS, no external resources)
//
// Render, validate and preview take the report as application/json, or as
// part "report" of multipart/form-data with last year's report in part
// "previous" for the template's cross-year checks.
//
// The package is a thin layer over report.Engine. Everything the engine
// returns goes through one error mapping (classify in errors.go) that turns
// sentinel errors into RFC 9457 problem documents with Chinese (or, with
// lang=en, English) titles; internal error text is logged with the request
// id and never sent to the client. CPU-bound engine calls run in a bounded
// pool with a bounded queue, so overload turns into a quick 503 with
// Retry-After instead of a slow collapse. Shutdown (ListenAndServe's context
// ending) fails /readyz, stops accepting, and lets in-flight renders finish.
//
// The tests check every response they provoke against openapi.json, and
// fail when the document describes a response no test provoked.
package api
