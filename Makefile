# Schildwacht: the two commands a newcomer needs are `make demo` and `make test`.
# Everything runs from a project-local virtual environment (.venv) built from the lock file.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-data

.PHONY: install install-spark demo test test-postgres test-spark bench bench-scale quality lint lock clean messages e2e-deps

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# detect --engine spark: PySpark (about 434 MB) from its own hash-pinned lock file; Java 17.
# Not part of `make install`, so a fresh clone does not download it; .ci/run installs it, and
# the parity tests (marker spark) run in `make test` whenever it is installed.
SPARK_STAMP := $(VENV)/.installed-spark

install-spark: $(SPARK_STAMP)

$(SPARK_STAMP): $(STAMP) requirements-spark.lock
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-spark.lock
	touch $(SPARK_STAMP)

test-spark: $(SPARK_STAMP)
	$(BIN)/python -m pytest -q -m spark tests/detect

demo: $(STAMP)
	DEMO_DIR=$(DEMO_DIR) $(BIN)/python -m schildwacht.demo

# Every test on SQLite, then the tests of the application state (app, web, CLI) again on a
# throwaway PostgreSQL server (scripts/with_postgres.sh). Without PostgreSQL's server binaries
# the second pass is skipped with a warning, unless REQUIRE_POSTGRES=1 (CI sets it).
test: $(STAMP) e2e-deps
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-postgres

POSTGRES_TESTS := tests/app tests/web tests/cli

test-postgres: $(STAMP)
	@if scripts/with_postgres.sh true 2>/dev/null; then \
		scripts/with_postgres.sh $(BIN)/python -m pytest -q -m "not browser" $(POSTGRES_TESTS); \
	elif [ "$(REQUIRE_POSTGRES)" = "1" ]; then \
		echo "test-postgres: PostgreSQL is required but its server binaries are missing" >&2; exit 2; \
	else \
		echo "test-postgres: SKIPPED, no PostgreSQL server binaries (apt-get install postgresql)" >&2; \
	fi

# The browser tests' JavaScript (axe-core, pinned in tests/e2e/package-lock.json), installed
# when tests/e2e/node_modules is absent or older than the lock file. Chromium comes from apt.
E2E := tests/e2e
E2E_STAMP := $(E2E)/node_modules/.package-lock.json

e2e-deps: $(E2E_STAMP)

$(E2E_STAMP): $(E2E)/package.json $(E2E)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "e2e-deps: npm is missing; install nodejs and npm (.ci/run does)" >&2; exit 2; }
	npm ci --prefix $(E2E) --no-audit --no-fund
	@touch $@

bench: $(STAMP)
	$(BIN)/python -m benchmarks.ingest_bench
	$(BIN)/python -m benchmarks.detect_bench
	$(BIN)/python -m benchmarks.web_bench

# Scale benchmark: 1, 10 and 100 million events, ingest and detect with DuckDB limited to
# 4 GB, Spark local mode at 1 and 10 million. Towns are kept in bench-data/scale and reused;
# the 100 million town needs about 16 GB of disk (docs/scaling.md, Benchmark).
SCALE_SIZES ?= 1e6,1e7,1e8
bench-scale: $(STAMP)
	$(BIN)/python -m benchmarks.scale_bench --sizes $(SCALE_SIZES) --engines duckdb,spark

# Detection quality on five simulated default towns (several minutes).
quality: $(STAMP)
	$(BIN)/python -m benchmarks.quality

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# Regenerate the lock file after changing dependencies in pyproject.toml (needs network).
lock: $(STAMP)
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

# Extract the web app's texts (Dutch message ids) and update the English catalog; then
# translate the new entries in src/schildwacht/web/locale/en/LC_MESSAGES/messages.po.
# Besides the web package, the breach guidance (app/breaches/guidance.py, marked with N_)
# is shown in the web app and extracted too.
MESSAGE_SOURCES := src/schildwacht/web src/schildwacht/app/breaches/guidance.py
messages: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel extract --no-location --omit-header -F babel.cfg -k N_ -o build/messages.pot $(MESSAGE_SOURCES)
	$(BIN)/pybabel update --no-fuzzy-matching --omit-header -l en -i build/messages.pot -d src/schildwacht/web/locale

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
