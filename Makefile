# Two commands do all the setup on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench bench-dashboard lint venv clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/llm-gateway serve

# Debian packages the tests drive: Chromium for the dashboard's browser tests (Playwright
# never downloads a browser here) and docker-compose to validate docker-compose.yml.
system-deps:
	@command -v chromium >/dev/null && command -v docker-compose >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq chromium docker-compose)

test: system-deps $(STAMP)
	$(BIN)/pytest

# Load test against the bundled simulator on a fresh PostgreSQL database (docs/benchmarks.md).
# make bench [SCENARIO=standard|slow|profile] [WORKERS="1 2"] [BENCH_ARGS="--repeats 5"]
SCENARIO ?= standard
WORKERS ?= 1
bench: $(STAMP)
	$(BIN)/python -m bench.run --scenario $(SCENARIO) --workers "$(WORKERS)" $(BENCH_ARGS)

# Every dashboard page with 100,000 requests in the read models, on SQLite and PostgreSQL,
# in headless Chromium; fails when a page takes a second or more (median of 3 loads).
bench-dashboard: system-deps $(STAMP)
	GATEWAY_PAGE_BUDGET_SECONDS=1 $(BIN)/pytest -s tests/dashboard/test_page_speed_with_100k_requests.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
