# dfdg — the two commands: `make run` (set up and run the demo) and `make test` (the whole test suite).
BUILD ?= build
JOBS ?= $(shell nproc)
DFDG := $(BUILD)/dfdg
DEMO_DIR ?= out/demo

.PHONY: all bootstrap build run test bench format tidy clean

all: build

bootstrap:
	@scripts/bootstrap.sh

$(BUILD)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: bootstrap $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

# The main job on a fresh machine: build, check the catalogue, apply demo registrations to an embedded
# SQLite store and show a person's status (what applies, what is lifted, and why).
run: build
	$(DFDG) catalog check
	@mkdir -p $(DEMO_DIR)
	$(DFDG) catalog export --format json > $(DEMO_DIR)/catalog.json
	$(DFDG) catalog export --format csv > $(DEMO_DIR)/catalog.csv
	@echo "Catalogue exported to $(DEMO_DIR)/catalog.json and $(DEMO_DIR)/catalog.csv"
	rm -f $(DEMO_DIR)/demo.db $(DEMO_DIR)/demo.db-wal $(DEMO_DIR)/demo.db-shm
	DFDG_TODAY=2025-09-15 $(DFDG) apply --db $(DEMO_DIR)/demo.db --input examples/demo-commands.jsonl \
	  > $(DEMO_DIR)/demo-results.jsonl
	@echo "Results per command: $(DEMO_DIR)/demo-results.jsonl"
	DFDG_TODAY=2025-09-15 $(DFDG) status --db $(DEMO_DIR)/demo.db --cpr 0101901234 --date 2025-09-15
	DFDG_TODAY=2025-09-15 $(DFDG) status --db $(DEMO_DIR)/demo.db --cpr 1502851111 --date 2025-09-15

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

bench: build
	$(BUILD)/dfdg_bench --benchmark_counters_tabular=true
	DFDG=$(DFDG) bench/apply_bench.sh 1000000

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

tidy: build
	clang-tidy -p $(BUILD) --quiet $$(git ls-files 'src/*.cc')

clean:
	rm -rf $(BUILD) out
