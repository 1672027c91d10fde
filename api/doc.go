// Package api is gongwen's HTTP service: render and validate report JSON,
// describe the loaded templates, and serve the clerk's web page.
//
// The package is a thin layer over report.Engine. Everything the engine
// returns goes through one error mapping (errors.go) that turns sentinel
// errors into RFC 9457 problem documents with Chinese (or English) titles;
// internal error text is logged with the request id and never sent to the
// client. CPU-bound engine calls run in a bounded pool so that overload
// turns into a quick 503 with Retry-After instead of a slow collapse.
//
// Routes, statuses and bodies are described by the OpenAPI document served
// at /api/v1/openapi.json (openapi.json in this directory); the tests check
// every response they provoke against it.
package api
