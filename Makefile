# Schildwacht: the two commands a newcomer needs are `make demo` and `make test`.
# Everything runs from a project-local virtual environment (.venv) built from the lock file.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-data

.PHONY: install demo test bench quality lint lock clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	DEMO_DIR=$(DEMO_DIR) $(BIN)/python -m schildwacht.demo

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.ingest_bench
	$(BIN)/python -m benchmarks.detect_bench
	$(BIN)/python -m benchmarks.web_bench

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

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
