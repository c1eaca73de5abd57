# Waypoint — the two commands: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
BUN := $(TOOLS)/node_modules/.bin/bun
export PATH := $(CURDIR)/$(TOOLS)/node_modules/.bin:$(CURDIR)/$(BIN):$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_TELEMETRY_ENABLED := false
export FLASK_APP := backend

.PHONY: run test install bun db system-report-deps system-test-deps system-scale-deps test-python test-scale-services test-faults test-js test-consistency test-browser lint catalogs bench load-test scale-demo scale-demo-stop clean consistency consistency-ci bench-pouch

run: install bun system-report-deps db ## install what is missing, migrate, seed once, serve on :3000
	$(BIN)/reflex run --env prod --single-port --frontend-port 3000 --backend-port 3000

test: install bun system-test-deps lint test-python test-scale-services test-faults test-js test-consistency test-browser ## the whole suite

install: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,scale]'
	touch $@

bun: $(BUN)

$(BUN):
	npm install --prefix $(TOOLS) --no-audit --no-fund bun@1.4.5

db: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo

system-report-deps: ## Debian's pango and fonts for WeasyPrint's PDF reports, when absent
	@/sbin/ldconfig -p | grep -q libpangoft2-1.0 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
	@# DejaVu Sans has Arabic and Vietnamese; Simplified Chinese reports need a CJK font
	@fc-list :lang=zh-cn family 2>/dev/null | grep -q . || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei)

system-test-deps: system-report-deps ## Debian's Chromium, PostgreSQL and poppler-utils (pdftotext), when absent
	@command -v pdftotext >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils)
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	@test -x /usr/lib/postgresql/15/bin/postgres || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql)

system-scale-deps: ## Debian's Redis, nginx (+ brotli) and PostgreSQL for the scale profile, when absent
	@command -v redis-server >/dev/null && command -v nginx >/dev/null && test -e /usr/lib/nginx/modules/ngx_http_brotli_filter_module.so && test -x /usr/lib/postgresql/15/bin/postgres || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server nginx libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static postgresql)

lint: install
	$(BIN)/ruff check backend sync app tests bench deploy

test-python: install ## unit, API, sync and property tests on SQLite
	$(BIN)/pytest -q -m "not browser and not postgres and not faults" -p no:cacheprovider --ignore=tests/scale

test-scale-services: install system-test-deps system-scale-deps ## the API and sync suites again on PostgreSQL + Redis + S3 (moto), throwaway
	$(BIN)/python scripts/with_scale_services.py $(BIN)/pytest -q -m "not browser" -p no:cacheprovider tests/backend tests/sync

test-faults: install system-scale-deps ## scale profile: start-up checks, S3 + Redis, OpenAPI fuzz, small fault harness
	$(BIN)/pytest -q -p no:cacheprovider tests/scale

test-js: bun ## the JS sync core against the same vectors (bun test + fake-indexeddb)
	$(BUN) install --frozen-lockfile
	$(BUN) test tests/js

test-browser: install bun system-test-deps ## Chromium through Playwright against the real app
	$(BIN)/pytest -q -m browser -p no:cacheprovider

catalogs: install ## extract every message, update locales/*/messages.po (translations kept), compile .mo + assets/i18n/*.json
	$(BIN)/python -m backend.i18n_catalogs

bench: install bun system-test-deps ## sync engine and learner-app budgets (tables for docs/benchmarks.md)
	$(BIN)/python bench/sync_bench.py
	$(BIN)/python bench/frontend_bench.py

CI_SEEDS ?= 100
CI_JOBS ?= 3
test-consistency: install bun ## the sync checker, CI size: 100 seeded runs (every fault kind; fails on an anomaly with the seed and its replay; see docs/benchmarks.md)
	$(BUN) install --frozen-lockfile
	$(BIN)/python -m tests.consistency --seeds $(CI_SEEDS) --jobs $(CI_JOBS)

consistency-ci: test-consistency ## the same as test-consistency

SEEDS ?= 1000
JOBS ?= 3
consistency: install bun ## the sync checker by hand: SEEDS=1000 larger seeded runs, every fault (make consistency SEEDS=50)
	$(BUN) install --frozen-lockfile
	$(BIN)/python -m tests.consistency --seeds $(SEEDS) --jobs $(JOBS) --size large

bench-pouch: install bun ## our sync core vs PouchDB replication to express-pouchdb, side by side (ratios)
	$(BUN) install --frozen-lockfile
	$(BIN)/python bench/pouch_compare/compare.py

load-test: install system-scale-deps ## 200 devices + 20 teachers against the scale profile and the embedded default
	$(BIN)/python bench/load_test.py

scale-demo: install bun system-scale-deps ## the district topology on loopback; prints the URL
	$(BIN)/python deploy/scale_demo.py up

scale-demo-stop: ## stop everything scale-demo started
	$(BIN)/python deploy/scale_demo.py down

clean:
	rm -rf .web .states instance/test-*
