# gossipbench: the commands a developer needs. `make help` lists them.
GO       ?= go
BIN      := bin/gossipbench
RESULTS  ?= results
SCENARIO ?= scenarios/fanout.yaml
BENCH    ?= .
COUNT    ?= 6
# actionlint checks the GitHub workflow; go run fetches it once through the
# Go module proxy. Pinned: a new release may find new problems.
ACTIONLINT ?= github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

.PHONY: help build run test check bench report screenshots fuzz fmt vet lint-workflow clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: ## build bin/gossipbench
	$(GO) build -o $(BIN) ./cmd/gossipbench

run: build ## run SCENARIO (default scenarios/fanout.yaml) into RESULTS/
	$(BIN) run --out $(RESULTS) $(SCENARIO)

test: vet lint-workflow ## vet, the workflow check, every test in short mode, and the HTTP engine and live under -race (a few minutes on 2 cores)
	$(GO) test -short -count=1 ./...
	$(GO) test -race -short -count=1 ./engine/node/... ./engine/cluster/... ./live/...
	$(GO) test -race -short -count=1 -run 'Interrupt' ./cmd/gossipbench
	$(MAKE) --no-print-directory fuzz FUZZTIME=8000x

# A duration (2m) or a count of inputs (2000x). make test gives a count: in
# Go 1.26 a duration can end in a spurious "context deadline exceeded" on a
# busy machine (golang/go#75804, fixed in Go 1.27), a count cannot.
FUZZTIME ?= 2m
FUZZ_TARGETS = ./experiments:FuzzParse ./engine/node:FuzzHandlers

fuzz: ## run every fuzz target for FUZZTIME each (default 2m)
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t#*:} in $${t%%:*} for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) $${t%%:*} || exit 1; \
	done

check: vet ## every test, the long statistical ones included, and -race
	$(GO) test -count=1 -timeout 30m ./...
	$(GO) test -race -short -count=1 ./...

bench: SHELL := /bin/bash
bench: .SHELLFLAGS := -o pipefail -c
bench: ## engine and report benchmarks, COUNT runs each, into bench.txt in the format benchstat reads
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -count $(COUNT) ./engine/... ./experiments/... ./report/... | tee bench.txt

report: build ## render RESULTS/ as HTML: RESULTS/index.html, a page per scenario, replays, static charts
	$(BIN) report $(RESULTS)

CHROMIUM ?= chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --hide-scrollbars --virtual-time-budget=4000

screenshots: build ## remake docs/*.png from scenarios/fanout.yaml (needs chromium)
	$(BIN) run --quiet --out $(RESULTS) scenarios/fanout.yaml
	$(BIN) report --quiet $(RESULTS)
	$(CHROMIUM) --user-data-dir=$$(mktemp -d) --window-size=1280,900 --screenshot=docs/replay.png \
		"file://$(abspath $(RESULTS))/fanout/replay/fanout=1.html#round=12"
	cp $(RESULTS)/fanout/charts/convergence.png docs/convergence.png

fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go')

vet: ## gofmt check and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

lint-workflow: ## check .github/workflows with actionlint (fetched through the Go module proxy)
	$(GO) run $(ACTIONLINT)

clean: ## remove build outputs (results stay)
	rm -rf bin bench.txt
