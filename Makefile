# Two entry points: `make run` and `make test` (lint, then the tests). Both set the project up first.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RAW_DIR ?= raw
SCALE ?= 0.01
SEED ?= 6
WAREHOUSE_DB ?= $(CURDIR)/warehouse/kho06.duckdb
DOCS_DIR ?= $(CURDIR)/warehouse/docs

.PHONY: setup run test simulate lint clean browser docs docs-site ui

setup:
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || $(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv
	@$$(command -v uv || echo $(HOME)/.local/bin/uv) sync --frozen --quiet
	@# parsed with the warehouse path the pipeline passes, so its dbt runs can reuse this parse (dbt parses the
	@# whole project again when the rendered profile differs)
	@cd dbt_project && export KHO06_DUCKDB_PATH=$(CURDIR)/warehouse/kho06.duckdb && \
		(../.venv/bin/dbt parse --quiet --no-partial-parse >/dev/null || ../.venv/bin/dbt parse)

simulate: setup
	@if [ -z "$$(ls -A $(RAW_DIR) 2>/dev/null | grep -v -e '^README.md$$' -e '^\.gitkeep$$')" ]; then \
		echo "raw/ is empty: simulating the feeds at scale $(SCALE)"; \
		.venv/bin/kho06 simulate --out $(RAW_DIR) --scale $(SCALE) --seed $(SEED); \
	else echo "raw/ holds deliveries: not simulating"; fi

# simulated feeds (raw/_truth exists) are compared with the published counts at their scale
run: simulate
	@if [ -d $(RAW_DIR)/_truth ]; then export KHO06_KPI_COUNT_SCALE=$(SCALE); fi; .venv/bin/kho06 run --raw $(RAW_DIR)

# the Dagster UI and daemon (schedule, sensor, run queue), their instance under the warehouse folder
ui: setup
	@mkdir -p $(CURDIR)/warehouse/dagster
	@test -f $(CURDIR)/warehouse/dagster/dagster.yaml || cp dagster.yaml $(CURDIR)/warehouse/dagster/
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/warehouse/dagster} .venv/bin/dagster dev

# dbt's documentation of every model and column in one file that opens offline ($(DOCS_DIR)/static_index.html),
# with the types and sizes read from the built warehouse (make run first; generate it while no run is writing)
docs: setup docs-site

docs-site:
	@test -f "$(WAREHOUSE_DB)" || { echo "no warehouse at $(WAREHOUSE_DB): build it first (make run)"; exit 1; }
	@cd dbt_project && KHO06_DUCKDB_PATH="$(WAREHOUSE_DB)" ../.venv/bin/dbt --quiet docs generate --static \
		--target-path "$(DOCS_DIR)" --log-path "$(DOCS_DIR)/logs"
	@echo "dbt docs: $(DOCS_DIR)/static_index.html (one file: open it in a browser, no network needed)"

# the report's browser test drives Debian's chromium (Playwright cannot download its own browser here)
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "installing chromium for the report's browser test (apt-get)"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); export DEBIAN_FRONTEND=noninteractive; \
		$$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null 2>&1 || \
		{ $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }; \
	fi

# lint first, so CI (.ci/run) enforces it
test: lint browser
	@.venv/bin/pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

# ruff (rules and formatting) over the Python; mypy over the packages listed in pyproject.toml [tool.mypy]
lint: setup
	@.venv/bin/ruff check kho06 orchestration tests
	@.venv/bin/ruff format --check kho06 orchestration tests
	@.venv/bin/mypy

clean:
	rm -rf .venv warehouse/*.duckdb
