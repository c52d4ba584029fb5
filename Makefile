# Lotse developer entry points. Works on a fresh clone of a fresh Debian 12 machine that has
# python3, node/npm, git and make: everything else is installed on demand.
#
#   make run         local server with demo data on http://127.0.0.1:8000
#   make test        full suite twice: SQLite, then a throwaway PostgreSQL
#   make test-quick  SQLite only
#   make lint        ruff + import-linter + bandit (medium and high findings fail)
#   make bench       benchmarks (SCALE=kreis by default)
#   make clean       remove local databases and stamp files (keeps .venv and node_modules)
#
# See scripts/README.md for details.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.NOTPARALLEL:

export UV_PYTHON_DOWNLOADS := never
export PATH := $(HOME)/.local/bin:$(PATH)

VENV := .venv
PY := $(VENV)/bin/python
LOTSE := $(CURDIR)/$(VENV)/bin/lotse
PY_STAMP := $(VENV)/.lotse-sync.stamp
NPM_STAMP := node_modules/.lotse-npm.stamp

HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= kreis
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
PYTEST := $(PY) -m pytest $(if $(filter-out 0,$(PYTEST_WORKERS)),-p xdist -n $(PYTEST_WORKERS)) $(PYTEST_ARGS)

.PHONY: help bootstrap system-deps system-deps-run compilemessages translations run test test-quick test-reliability \
        test-sqlite test-postgres soak _pytest-sqlite _pytest-postgres bench lint check-updates clean

help:
	@echo "make run | test | test-quick | lint | check-updates [DAYS=90] | bench [SCALE=kreis] | clean"

# --- bootstrap: Python venv from the hash-locked requirements, npm packages from the lock ----

bootstrap: $(PY_STAMP) $(NPM_STAMP)

$(PY):
	@uv="$$(bash scripts/ensure-uv.sh)"; \
	echo "+ uv venv --python 3.11 $(VENV)"; \
	"$$uv" venv --python 3.11 $(VENV)

# The dev lock is used for `run` too (one environment, simpler). `uv pip sync` removes the
# editable install of lotse, so both steps share one stamp.
$(PY_STAMP): requirements-dev.lock pyproject.toml | $(PY)
	@uv="$$(bash scripts/ensure-uv.sh)"; \
	echo "+ uv pip sync requirements-dev.lock"; \
	"$$uv" pip sync --python $(PY) requirements-dev.lock; \
	echo "+ uv pip install --no-deps -e ."; \
	"$$uv" pip install --python $(PY) --no-deps -e .
	@touch $@

$(NPM_STAMP): package.json $(wildcard package-lock.json)
	@if [ -f package-lock.json ]; then echo "+ npm ci"; npm ci; \
	else echo "+ npm install"; npm install; fi
	@touch $@

# --- system packages (apt) ---------------------------------------------------------------------

system-deps:
	@bash scripts/system-deps.sh test

system-deps-run:
	@bash scripts/system-deps.sh run

# --- translations: .po (committed) -> .mo (git-ignored) ----------------------------------------

# Refresh the German catalogue from the code and set the texts waiting in
# src/lotse/locale/de/pending/*.json ({msgid: German}); serialised by a lock, so parallel
# sessions never lose each other's texts. Then compile.
translations: bootstrap
	@flock var/.translations.lock bash -c 'cd src/lotse && LOTSE_DEV=1 $(LOTSE) makemessages -l de \
		--ignore="*/tests/*" --ignore="locale/*" --no-obsolete -v 0 && \
		if ls locale/de/pending/*.json >/dev/null 2>&1; then \
		../../$(PY) ../../scripts/po_apply.py locale/de/LC_MESSAGES/django.po locale/de/pending/*.json; fi && \
		LOTSE_DEV=1 $(LOTSE) compilemessages -v 0 '
	@msgattrib --untranslated src/lotse/locale/de/LC_MESSAGES/django.po | grep -c '^msgid' \
		| sed 's/^/untranslated (incl. header): /' || true

compilemessages: bootstrap
	@if find src -name '*.po' -path '*/LC_MESSAGES/*' -print -quit | grep -q .; then \
		echo "+ lotse compilemessages"; \
		cd src && LOTSE_DEV=1 $(LOTSE) compilemessages -v 0 \
			--ignore='.venv' --ignore='node_modules' --ignore='*.egg-info'; \
	else echo "compilemessages: no .po files yet"; fi

# --- local server ------------------------------------------------------------------------------

run: system-deps-run bootstrap compilemessages
	@export LOTSE_DEV=1 DEBUG=1; \
	$(LOTSE) migrate --noinput; \
	$(LOTSE) audit_keygen --if-missing; \
	$(LOTSE) seed --scale demo --if-empty; \
	$(LOTSE) audit_checkpoint; \
	$(LOTSE) appointments_daily --run-now --schedule; \
	$(LOTSE) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT; \
	trap 'exit 130' INT TERM; \
	$(LOTSE) demo_logins; \
	$(LOTSE) runserver $(HOST):$(PORT)

# --- tests -------------------------------------------------------------------------------------

# Both passes always run; the target fails if either failed.
test: system-deps bootstrap compilemessages
	@status=0; \
	$(MAKE) --no-print-directory lint || status=1; \
	$(MAKE) --no-print-directory _pytest-sqlite || status=1; \
	$(MAKE) --no-print-directory _pytest-postgres || status=1; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED (see the summaries above)"; fi; \
	exit $$status

test-quick test-sqlite: bootstrap compilemessages
	@$(MAKE) --no-print-directory _pytest-sqlite

# The reliability suite (issue 9) in full: the tests marked `reliability` with their full
# numbers (LOTSE_RELIABILITY=full: generated access attempts, hostile inputs, faults …), on
# SQLite and then PostgreSQL, printing their figures, and the 30-minute soak. `make test` runs
# the same tests with small numbers. The PostgreSQL pass sends 4 hostile values per form field
# (SQLite: 12) to stay within CI's 90 minutes.
test-reliability: system-deps bootstrap compilemessages
	@status=0; \
	echo "=== reliability: SQLite ==="; \
	env -u DATABASE_URL LOTSE_DEV=1 LOTSE_RELIABILITY=full $(PYTEST) -m "reliability and not postgres_only" \
		-rA src/lotse || status=1; \
	echo "=== reliability: soak ==="; \
	$(MAKE) --no-print-directory soak || status=1; \
	echo "=== reliability: PostgreSQL ==="; \
	trap 'bash scripts/pg-test-server.sh stop' EXIT; \
	bash scripts/pg-test-server.sh start; \
	url="$$(bash scripts/pg-test-server.sh url)"; \
	DATABASE_URL="$$url" LOTSE_DEV=1 LOTSE_RELIABILITY=full LOTSE_HOSTILE_PER_FIELD=4 $(PYTEST) \
		-m "reliability and not db_independent" -rA src/lotse || status=1; \
	exit $$status

# Issue 9 point 6: 30 minutes (LOTSE_SOAK_SECONDS) of mixed staff traffic under gunicorn on
# 127.0.0.1 (bench/soak.py), on the demo scale in a folder of its own; fails on any error,
# worker memory growth, or an access log that does not verify or match the reads made.
soak: bootstrap compilemessages
	env -u DATABASE_URL LOTSE_BENCH_VAR_DIR=$(CURDIR)/var/soak $(PY) -m bench --scale demo --only soak

test-postgres: system-deps bootstrap compilemessages
	@$(MAKE) --no-print-directory _pytest-postgres

_pytest-sqlite:
	@echo "=== pytest: SQLite ==="
	env -u DATABASE_URL LOTSE_DEV=1 $(PYTEST) -m "not postgres_only"

_pytest-postgres:
	@echo "=== pytest: PostgreSQL ==="
	@trap 'bash scripts/pg-test-server.sh stop' EXIT; \
	bash scripts/pg-test-server.sh start; \
	url="$$(bash scripts/pg-test-server.sh url)"; \
	echo "DATABASE_URL=$$url $(PYTEST) -m 'not db_independent'"; \
	DATABASE_URL="$$url" LOTSE_DEV=1 $(PYTEST) -m "not db_independent"

# --- benchmarks: bench/ (one module per benchmark, registry in bench/__main__.py) ---------------
# SQLite: seeds var/bench/bench-$(SCALE).sqlite3 (a snapshot of the seed is kept and reused; BENCH_ARGS=--fresh
# seeds again). With DATABASE_URL=postgres://... the benchmarks run on that database instead (seeded once,
# reused while it holds the scale's seed; --fresh drops its schema public). Prints a Markdown table and writes
# bench/results/<date>-<scale>-<sqlite|postgresql>.json (git-ignored) and var/bench/results.json.
# Example: make bench SCALE=demo BENCH_ARGS="--only guide_pages". See docs/performance.md.

BENCH_ARGS ?=

bench:
	@if [ -f bench/__main__.py ]; then \
		$(MAKE) --no-print-directory bootstrap compilemessages; \
		LOTSE_DEV=$${LOTSE_DEV:-1} $(PY) -m bench --scale $(SCALE) $(BENCH_ARGS); \
	else echo "no benchmarks yet"; fi

# --- lint --------------------------------------------------------------------------------------

lint: bootstrap
	@status=0; \
	echo "+ ruff check src"; $(VENV)/bin/ruff check src || status=1; \
	echo "+ lint-imports"; $(VENV)/bin/lint-imports || status=1; \
	echo "+ bandit -r src/lotse -x '*/tests/*' -ll"; \
	$(VENV)/bin/bandit -q -r src/lotse -x '*/tests/*' -ll || status=1; \
	exit $$status

# --- update frame (ASVS 15.2.1): no locked component older than an admitted release public > DAYS days ---
# Asks the package index (through uv) and the npm registry (through npm) with their own configuration;
# exit 1 lists the breaches, exit 2 means the registries could not be asked. See docs/operations.md.

DAYS ?= 90

check-updates: bootstrap
	$(PY) scripts/check_updates.py --days $(DAYS)

# --- clean -------------------------------------------------------------------------------------

clean:
	-@bash scripts/pg-test-server.sh stop 2>/dev/null || true
	rm -f var/*.sqlite3 var/*.sqlite3-wal var/*.sqlite3-shm var/*.sqlite3-journal
	rm -rf var/pg-test var/static
	rm -f $(PY_STAMP) $(NPM_STAMP)
