# The README's commands are these targets. Everything runs inside .venv, created on first use.
# The interpreter of .venv: $(PYTHON) when given, else the system's optimised build
# (scripts/pick_python.sh says why).
PYTHON ?=
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Prefect runs on its embedded SQLite-backed API under a project-local home; no telemetry.
export PREFECT_HOME ?= $(CURDIR)/var/prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 90
export PREFECT_LOGGING_LEVEL ?= INFO

.PHONY: setup run test lint bench sample clean stress

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock scripts/check_system.sh scripts/pick_python.sh
	@scripts/check_system.sh
	@test -d $(VENV) || { py=$$(PYTHON='$(PYTHON)' scripts/pick_python.sh) && "$$py" -m venv $(VENV); }
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

## Generate the sample province (if absent) and run the annual cycle on it.
run: $(STAMP)
	@mkdir -p "$(PREFECT_HOME)"
	$(BIN)/danhgia run

## The test suite (what .ci/run runs).
test: $(STAMP)
	@scripts/check_system.sh --tests
	$(BIN)/python -m pytest -q

## Kill-and-rerun at every kill point 20 times, and the concurrency test (outside `make test`).
stress: $(STAMP)
	DANHGIA_STRESS_ROUNDS=20 $(BIN)/python -m pytest -q tests/test_crash_safety.py tests/test_concurrency.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## The benchmark of issue #7 (not part of the tests): sizes from BENCH_SIZES, default S,M.
bench: $(STAMP)
	$(BIN)/python -m bench.run

sample: $(STAMP)
	$(BIN)/danhgia sample

clean:
	rm -rf data var
