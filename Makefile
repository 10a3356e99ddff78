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

# The main job on a fresh machine: build, check the catalogue, and show what it holds.
run: build
	$(DFDG) catalog check
	$(DFDG) catalog list
	$(DFDG) catalog show 8 --date 2025-08-01
	@mkdir -p $(DEMO_DIR)
	$(DFDG) catalog export --format json > $(DEMO_DIR)/catalog.json
	$(DFDG) catalog export --format csv > $(DEMO_DIR)/catalog.csv
	@echo "Catalogue exported to $(DEMO_DIR)/catalog.json and $(DEMO_DIR)/catalog.csv"

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

bench: build
	$(BUILD)/dfdg_bench --benchmark_counters_tabular=true

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

tidy: build
	clang-tidy -p $(BUILD) --quiet $$(git ls-files 'src/*.cc')

clean:
	rm -rf $(BUILD) out
