# dfdg — the two commands: `make run` (set up and run the demo) and `make test` (the whole test suite).
BUILD ?= build
JOBS ?= $(shell nproc)
DFDG := $(BUILD)/dfdg
DEMO_DIR ?= out/demo
SERVE_PORT ?= 8080

.PHONY: all bootstrap build build-all-types run test bench fuzz format tidy clean web

all: build

bootstrap:
	@scripts/bootstrap.sh

$(BUILD)/CMakeCache.txt: | bootstrap
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: bootstrap $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

# The main job on a fresh machine: build, check the catalogue, apply demo registrations to an embedded
# SQLite store and show two persons' status (what applies, what is lifted, and why), then synthesise a
# population and run the seed-004 measurement over it.
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
	# A synthetic population (98 municipalities, 2 years) and its seed-004 measurement for December 2025.
	rm -rf $(DEMO_DIR)/population $(DEMO_DIR)/measure
	$(DFDG) synth --persons 20000 --years 2 --seed 1 --out $(DEMO_DIR)/population
	$(DFDG) measure --input $(DEMO_DIR)/population --from 2025-12 --out $(DEMO_DIR)/measure --detail
	@echo "Measurement tables and per-person detail: $(DEMO_DIR)/measure"
	# The last 24 months measured and stored for the statistics API and page (docs/statistics.md).
	rm -f $(DEMO_DIR)/stats.db
	$(DFDG) measure --input $(DEMO_DIR)/population --from 2024-01 --to 2025-12 --out $(DEMO_DIR)/measure-24 \
	  --store-db $(DEMO_DIR)/stats.db
	@echo "Statistics: http://127.0.0.1:$(SERVE_PORT)/statistik  (API: /v3/subjects, /v3/data/jobsamtaler)"
	# Last: the registry as a service over a synthetic population (sandbox, plain HTTP on localhost only;
	# docs/api.md). Try: curl -H 'x-dev-system: sandbox-jobcenter-101' \
	#   -H "x-civilRegistrationIdentifier: $$(head -1 $(DEMO_DIR)/sandbox.db.persons.txt | cut -d' ' -f1)" \
	#   http://127.0.0.1:$(SERVE_PORT)/v1/status   — stop with Ctrl-C (SIGINT/SIGTERM finish in-flight requests).
	rm -f $(DEMO_DIR)/sandbox.db $(DEMO_DIR)/sandbox.db-wal $(DEMO_DIR)/sandbox.db-shm $(DEMO_DIR)/sandbox.db.audit*
	# One person with a year of registrations (and a corrected sick leave) for the pages (docs/pages.md).
	DFDG_TODAY=2026-11-30 $(DFDG) apply --db $(DEMO_DIR)/sandbox.db --input examples/timeline-demo.jsonl \
	  > $(DEMO_DIR)/timeline-demo-results.jsonl
	@echo "Person timeline (caseworker): http://127.0.0.1:$(SERVE_PORT)/tidslinje  (choose sandbox-jobcenter-101, CPR 0304851234)"
	# The Måling section of /tidslinje reads a measurement input: the synthetic population plus the timeline demo
	# person's own rows (examples/timeline-demo-measure, same column order), so the person on the timeline is in it.
	rm -rf $(DEMO_DIR)/measure-input && cp -r $(DEMO_DIR)/population $(DEMO_DIR)/measure-input
	for f in examples/timeline-demo-measure/*.csv; do \
	  dest=$(DEMO_DIR)/measure-input/$$(basename $$f); \
	  if [ -f $$dest ]; then tail -n +2 $$f >> $$dest; else cp $$f $$dest; fi; \
	done
	@echo "Measurement of a person (Måling on /tidslinje): the same person, e.g. month 2026-07; or sandbox-agency and a CPR of $(DEMO_DIR)/population/persons.csv"
	@echo "Citizen's page (Jobnet):      http://127.0.0.1:$(SERVE_PORT)/minside    (choose sandbox-jobnet, CPR 0304851234)"
	$(DFDG) serve --sandbox --plain-http --host 127.0.0.1 --port $(SERVE_PORT) --db $(DEMO_DIR)/sandbox.db \
	  --stats-db $(DEMO_DIR)/stats.db --measure-input $(DEMO_DIR)/measure-input

# Debug and Release builds of every target (RelWithDebInfo is the default build): warnings are errors in each.
build-all-types: bootstrap
	for type in Debug Release; do \
	  cmake -S . -B $(BUILD)-$$type -DCMAKE_BUILD_TYPE=$$type && cmake --build $(BUILD)-$$type -j$(JOBS) || exit 1; \
	done

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

bench: build
	$(BUILD)/dfdg_bench --benchmark_counters_tabular=true
	DFDG=$(DFDG) bench/apply_bench.sh 1000000
	DFDG=$(DFDG) bench/apply_pg_bench.sh 1000000
	DFDG=$(DFDG) bench/measure_scale.sh 100000 1000000
	DFDG=$(DFDG) bench/measure_db_scale.sh 100000 1000000
	DFDG=$(DFDG) LOAD=$(BUILD)/dfdg_api_load bench/api_bench.sh 20000 32
	DFDG=$(DFDG) LOAD=$(BUILD)/dfdg_api_load bench/api_pg_bench.sh 20000 32
	DFDG=$(DFDG) LOAD=$(BUILD)/dfdg_api_load FLOOR=$(BUILD)/dfdg_storage_floor bench/counter_bench.sh 800000 100000 8
	DFDG=$(DFDG) WEB=$(BUILD)/web bench/pages_bench.sh 100000 20
	$(BUILD)/dfdg_delivery_bench 20000
	DFDG=$(DFDG) bench/daily_bench.sh 1000000 persons

# Coverage-guided fuzzing of the command parser and validator, then of the API request path (clang + libFuzzer
# + ASan/UBSan), 60 s each.
FUZZ_SECONDS ?= 60
fuzz: bootstrap
	@command -v clang++ >/dev/null || (apt-get update -qq && apt-get install -y -qq clang)
	cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug -DDFDG_FUZZ=ON \
	  -DDFDG_BUILD_TESTS=OFF -DDFDG_BUILD_BENCH=OFF \
	  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer"
	cmake --build build-fuzz -j$(JOBS) --target dfdg_command_fuzz
	mkdir -p build-fuzz/corpus && cp fuzz/corpus/* build-fuzz/corpus/
	build-fuzz/dfdg_command_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=4096 build-fuzz/corpus
	# The API's request path: raw HTTP to an in-process server on loopback (fuzz/api_request_fuzz.cc).
	cmake --build build-fuzz -j$(JOBS) --target dfdg_api_request_fuzz
	mkdir -p build-fuzz/api_corpus && cp fuzz/api_corpus/* build-fuzz/api_corpus/
	build-fuzz/dfdg_api_request_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=8192 build-fuzz/api_corpus

# The statistics page alone (also built by `make build`): npm ci when needed, then esbuild into $(BUILD)/web.
web:
	web/build.sh $(BUILD)/web

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

tidy: build
	clang-tidy -p $(BUILD) --quiet $$(git ls-files 'src/*.cc')

clean:
	rm -rf $(BUILD) out
