# gongwen — the two commands of the README:
#   make run    set up (fonts), build, serve on http://127.0.0.1:8080 with the example ready
#   make test   set up (fonts and the real clients tests check output with), vet, test, fuzz briefly
GO        ?= go
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
ADDR      ?= 127.0.0.1:8080
FUZZTIME  ?= 20s
export GONGWEN_REQUIRE_TOOLS ?= 1

.PHONY: run build setup setup-test test vet fuzz bench bench-batch loadtest golden clean

run: setup build
	./bin/gongwen serve --addr $(ADDR)

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/gongwen ./cmd/gongwen

setup:
	sh scripts/setup.sh run

setup-test:
	sh scripts/setup.sh test

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

test: setup-test vet
	$(GO) test -count=1 -timeout 20m ./...
	$(MAKE) fuzz

# Short fuzz runs of the input paths; longer: make fuzz FUZZTIME=10m
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzValidate$$' -fuzztime $(FUZZTIME) ./report
	$(GO) test -run '^$$' -fuzz '^FuzzNormalize$$' -fuzztime 5s ./cjkpunct
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime 5s ./strictjson
	$(GO) test -run '^$$' -fuzz '^FuzzParseCmap$$' -fuzztime 5s ./fonts
	$(GO) test -run '^$$' -fuzz '^FuzzZip$$' -fuzztime 5s ./batch
	$(GO) test -run '^$$' -fuzz '^FuzzReadArchived$$' -fuzztime 5s ./render/pdf

# Benchmarks: in-process, warm. Figures are recorded in README.md.
bench: setup
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./templates ./fonts ./render/... ./report

# 1,000 generated reports to PDF and DOCX; prints wall time and peak RSS.
bench-batch: setup
	sh batch/bench-batch.sh

# 16 connections for 30 s of PDF renders against a local server: throughput,
# p50/p99 latency, peak RSS; fails on any error or a missed target.
loadtest: setup build
	$(GO) run ./cmd/loadtest -gongwen bin/gongwen -c 16 -d 30s -format pdf -min-rps 150 -max-p99 100ms -max-rss 300

golden:
	$(GO) test ./templates ./render/... -update

clean:
	rm -rf bin
