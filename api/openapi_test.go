package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// openAPI checks real responses against the served OpenAPI document: the
// route, method, status and content type must be documented, and a JSON
// body must validate against the documented schema.
type openAPI struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
	mu       sync.Mutex
	schemas  map[string]*jsonschema.Schema
	seen     map[string]bool // "post /api/v1/render 422": responses the tests provoked
}

const openAPIURL = "mem:///openapi.json"

var spec = sync.OnceValue(func() *openAPI {
	var doc map[string]any
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		panic(fmt.Sprintf("openapi.json: %v", err))
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPIDocument))
	if err != nil {
		panic(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(openAPIURL, inst); err != nil {
		panic(err)
	}
	return &openAPI{doc: doc, compiler: c, schemas: map[string]*jsonschema.Schema{}, seen: map[string]bool{}}
})

func pointerEscape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

func (o *openAPI) lookup(pointer string) (any, error) {
	var v any = o.doc
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: not an object at %q", pointer, tok)
		}
		if v, ok = m[tok]; !ok {
			return nil, fmt.Errorf("%s: no %q", pointer, tok)
		}
	}
	return v, nil
}

// check validates one response. route is the OpenAPI path ("/api/v1/templates/{id}").
func (o *openAPI) check(t *testing.T, method, route string, resp *http.Response, body []byte) {
	t.Helper()
	o.mu.Lock()
	o.seen[strings.ToLower(method)+" "+route+" "+strconv.Itoa(resp.StatusCode)] = true
	o.mu.Unlock()
	respPtr := "/paths/" + pointerEscape(route) + "/" + strings.ToLower(method) + "/responses/" + strconv.Itoa(resp.StatusCode)
	r, err := o.lookup(respPtr)
	if err != nil {
		t.Errorf("OpenAPI does not document %s %s → %d: %v", method, route, resp.StatusCode, err)
		return
	}
	if ref, ok := r.(map[string]any)["$ref"].(string); ok {
		respPtr = strings.TrimPrefix(ref, "#")
		if r, err = o.lookup(respPtr); err != nil {
			t.Fatalf("dangling $ref %s", ref)
		}
	}
	if hs, ok := r.(map[string]any)["headers"].(map[string]any); ok {
		for h := range hs {
			if h == "Gongwen-Errors" {
				continue // only with problems
			}
			if resp.Header.Get(h) == "" {
				t.Errorf("%s %s → %d: documented header %s missing", method, route, resp.StatusCode, h)
			}
		}
	}
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil {
		t.Errorf("%s %s → %d: bad Content-Type %q", method, route, resp.StatusCode, resp.Header.Get("Content-Type"))
		return
	}
	schemaPtr := respPtr + "/content/" + pointerEscape(mt) + "/schema"
	if _, err := o.lookup(schemaPtr); err != nil {
		t.Errorf("%s %s → %d: content type %s not documented", method, route, resp.StatusCode, mt)
		return
	}
	if mt != "application/json" && mt != "application/problem+json" {
		return
	}
	o.mu.Lock()
	sch, ok := o.schemas[schemaPtr]
	if !ok {
		sch, err = o.compiler.Compile(openAPIURL + "#" + schemaPtr)
		if err != nil {
			o.mu.Unlock()
			t.Fatalf("compiling %s: %v", schemaPtr, err)
		}
		o.schemas[schemaPtr] = sch
	}
	o.mu.Unlock()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Errorf("%s %s → %d: body is not JSON: %v", method, route, resp.StatusCode, err)
		return
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s %s → %d: body does not match the OpenAPI schema:\n%v\nbody: %s", method, route, resp.StatusCode, err, body)
	}
}

// TestOpenAPICoversRoutes keeps the document and the router in step: every
// route is documented and every documented path is served.
func TestOpenAPICoversRoutes(t *testing.T) {
	s := New(newFakeEngine(), Config{Logger: discardLogger()})
	paths := spec().doc["paths"].(map[string]any)
	served := map[string]bool{}
	for _, r := range s.router.Routes() {
		p := r.Path
		for _, seg := range strings.Split(p, "/") {
			if strings.HasPrefix(seg, ":") || strings.HasPrefix(seg, "*") {
				p = strings.Replace(p, seg, "{"+seg[1:]+"}", 1)
			}
		}
		served[strings.ToLower(r.Method)+" "+p] = true
		item, ok := paths[p].(map[string]any)
		if !ok || item[strings.ToLower(r.Method)] == nil {
			t.Errorf("route %s %s is not in openapi.json", r.Method, r.Path)
		}
	}
	for p, item := range paths {
		for m := range item.(map[string]any) {
			if !served[m+" "+p] {
				t.Errorf("openapi.json documents %s %s, which is not served", strings.ToUpper(m), p)
			}
		}
	}
	var ops []string
	for p, item := range paths {
		for m, op := range item.(map[string]any) {
			if _, ok := op.(map[string]any)["operationId"]; !ok {
				t.Errorf("%s %s has no operationId", m, p)
			}
			ops = append(ops, m+" "+p)
		}
	}
	if !slices.Contains(ops, "post /api/v1/render") {
		t.Errorf("render not documented")
	}
}

// unexercised lists the documented responses no test provoked, so that the
// document cannot promise a status the tests never checked.
func (o *openAPI) unexercised() []string {
	var missing []string
	for p, item := range o.doc["paths"].(map[string]any) {
		for m, op := range item.(map[string]any) {
			for status := range op.(map[string]any)["responses"].(map[string]any) {
				if k := m + " " + p + " " + status; !o.seen[k] {
					missing = append(missing, k)
				}
			}
		}
	}
	slices.Sort(missing)
	return missing
}
