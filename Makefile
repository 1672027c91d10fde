# gongwen — the two commands of the README:
#   make run    set up (fonts), build, serve on http://127.0.0.1:8080 with the example ready
#   make test   set up (fonts and the real clients tests check output with), vet, test, fuzz briefly
GO        ?= go
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)
ADDR      ?= 127.0.0.1:8080
FUZZTIME  ?= 10s
# Packages with goroutines of their own (server, batch workers, the pipeline
# and font caches shared between requests) run their tests under -race.
RACE_PKGS := ./api ./batch ./report ./fonts
export GONGWEN_REQUIRE_TOOLS ?= 1

.PHONY: run build setup setup-test test vet fuzz bench bench-micro bench-batch loadtest golden clean

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
	$(GO) test -count=1 -timeout 20m -race $(RACE_PKGS)
	$(GO) test -count=1 -timeout 20m $$($(GO) list ./... | grep -v -x -F $(foreach p,$(RACE_PKGS),-e gongwen/$(patsubst ./%,%,$(p))))
	$(MAKE) fuzz

# Short runs of every fuzz target (found by scripts/fuzz.sh, not listed
# here); longer: make fuzz FUZZTIME=10m
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) sh scripts/fuzz.sh

# The figures of README.md's performance table, in one run: warm PDF and
# DOCX over distinct generated reports, the example's sizes and each font's
# share, cold starts of the binary, then the HTTP load test.
bench: setup build
	$(GO) run ./cmd/bench -gongwen bin/gongwen
	$(GO) run ./cmd/loadtest -gongwen bin/gongwen -c 16 -d 15s -format pdf

# The in-process micro-benchmarks of each stage (testing.B).
bench-micro: setup
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./templates ./fonts ./render/... ./report

# 10,000 generated reports to PDF and DOCX; fails past 50 s or 300 MB
# peak RSS (issue 15's targets); prints wall time, CPU and peak RSS.
bench-batch: setup
	sh batch/bench-batch.sh

# 16 connections for 30 s of PDF renders against a local server: throughput,
# p50/p99 latency, peak RSS; fails on any error or a missed target (issue
# 15's: 500 renders/s, p99 60 ms, 300 MB).
loadtest: setup build
	$(GO) run ./cmd/loadtest -gongwen bin/gongwen -c 16 -d 30s -format pdf -min-rps 500 -max-p99 60ms -max-rss 300

# Rewrites every golden file: the packages whose tests call testkit.Golden
# (which owns the one -update flag), found, not listed.
golden:
	$(GO) test -count=1 $$(git grep -l 'testkit.Golden(' -- '*_test.go' | xargs -n1 dirname | sort -u | sed 's|^|./|') -update

clean:
	rm -rf bin
