# StrikeWatch. `make demo` and `make test` are the two commands of the README; CI runs `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
# Tests run under a non-UTC zone so that naive-time bugs show.
TEST_TZ ?= Pacific/Auckland

.PHONY: help install demo serve test test-unit test-integration lint typecheck evaluate bench chaos clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 20

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv with the project and its dev tools

demo: $(STAMP) ## embedded broker + worker + map page + sample articles; prints alerts and the page URL (Ctrl-C stops)
	$(BIN)/strikewatch demo $(DEMO_ARGS)

serve: $(STAMP) ## the events API and map page on STRIKEWATCH_API_PORT (8080), fed by a running broker
	$(BIN)/strikewatch serve

test: $(STAMP) ## unit, agent and integration tests (installs promtool when missing; .ci/run also chromium)
	bash .ci/install-prometheus.sh
	TZ=$(TEST_TZ) $(BIN)/pytest -q $(PYTEST_ARGS)

test-unit: $(STAMP) ## the fast tests only
	TZ=$(TEST_TZ) $(BIN)/pytest -q -m "not integration" $(PYTEST_ARGS)

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check streams tests bench
	$(BIN)/mypy

evaluate: $(STAMP) ## score extraction and dedup on both labelled dev files and the check half (needs ../shared)
	$(BIN)/strikewatch evaluate --gold $(SHARED)/data/eval/dev_reports.jsonl --gold $(SHARED)/data/eval/dev_day_slices.jsonl
	$(BIN)/strikewatch evaluate --split check --gold $(SHARED)/data/eval/dev_day_slices.jsonl
	$(BIN)/strikewatch evaluate --what clusters --gold $(SHARED)/data/eval/dev_reports.jsonl \
		--pool $(SHARED)/data/news/rss_strike_pool_2022_2023.jsonl
	$(BIN)/strikewatch evaluate --ucdp $(SHARED)/data/ucdp/ucdp_ged_ukraine_2022_2023.csv

bench: $(STAMP) ## benchmarks, each figure printed against a baseline measured in the same run
	$(BIN)/python -m bench $(BENCH_ARGS)

clean: ## remove the environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .demo .strikewatch-data .strikewatch-api *.egg-info

chaos: $(STAMP) ## the fault suite: kills, rebalances, graceful stops, a broker restart, a slow partition, 10k malformed messages, each against a clean run (needs ../shared)
	$(BIN)/python -m bench.chaos $(CHAOS_ARGS)
