# Two commands on a fresh machine (Python 3.11+ and make): `make run`, `make test`.
# With DATABASE_URL / REDIS_URL unset, embedded PostgreSQL and Redis start under ./var/.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)
# Prints `export DATABASE_URL=…` lines for whatever is unset, starting embedded servers.
SERVICES = eval "$$($(BIN)/python -m efficiency_portal.devservices up)"
# Test workers: pytest-xdist, one per core unless told otherwise.
TEST_WORKERS ?= auto
PORT ?= 8000

.PHONY: help install sysdeps services run test bench stop lint format clean messages

help:
	@echo "make run    – install, migrate, load calendar + demo data, serve web + worker + beat on :$(PORT)"
	@echo "make test   – ruff + the full test suite against real PostgreSQL and Redis"
	@echo "make bench  – benchmarks in tests/bench (prints tables)"
	@echo "make stop   – stop the embedded PostgreSQL and Redis under ./var"

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (found %s)" % sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP) messages

# Compiled translations (.mo) are built from the committed .po files; no gettext needed.
messages: $(STAMP)
	@$(BIN)/python -m efficiency_portal.i18n_compile

# System packages: a CJK font and Pango for PDFs (WeasyPrint); Chromium for browser tests.
sysdeps:
	@$(BIN)/python -m efficiency_portal.sysdeps $(SYSDEPS)

services: install
	@$(SERVICES) && echo "DATABASE_URL=$$DATABASE_URL" && echo "REDIS_URL=$$REDIS_URL"

# A local demo over plain HTTP on loopback: debug pages on (so no SECRET_KEY is needed)
# and cookies not HTTPS-only. Set only by this target and only when unset; production
# (Dockerfile, docker-compose.yml) never runs `make run` and keeps the safe defaults.
run: export DEBUG ?= true
run: export SECURE_COOKIES ?= false
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	@$(MAKE) --no-print-directory sysdeps SYSDEPS=pdf
	@$(SERVICES) && \
	  $(BIN)/python manage.py check_services --port $(PORT) && \
	  $(BIN)/python manage.py migrate --noinput && \
	  $(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	  $(BIN)/python manage.py seed_demo && \
	  echo "Serving on http://127.0.0.1:$(PORT)/ (admin: /admin/, user demo-admin / demo-pass-2026). Ctrl-C stops all." && \
	  PORT=$(PORT) exec $(BIN)/honcho --no-colour -f Procfile.dev start

test: install
	@$(MAKE) --no-print-directory sysdeps SYSDEPS=all
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(SERVICES) && $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -q $(PYTEST_ARGS)

bench: install
	@$(SERVICES) && LOG_LEVEL=$${LOG_LEVEL:-WARNING} $(BIN)/python -m pytest tests/bench -p tests.testenv -p no:xdist -s -q --no-header -o addopts="" $(PYTEST_ARGS)

stop:
	@test -x $(BIN)/python && $(BIN)/python -m efficiency_portal.devservices down || true

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

clean: stop
	rm -rf var $(VENV)
