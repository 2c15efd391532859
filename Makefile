# PSM Giovani. Two commands for a fresh machine:
#   make run   install everything and serve the platform (embedded default) on http://127.0.0.1:8000
#   make test  install everything and run the whole test suite, browser tests included
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# make run / make serve: the development settings (DEBUG on, embedded services); the tests
# select config.settings.test (pyproject.toml), production sets DJANGO_SETTINGS_MODULE itself.
LOCAL := DJANGO_SETTINGS_MODULE=config.settings.local

.PHONY: install run serve test test-unit test-browser lint check bench bench-deps browser-deps drills clean messages

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/fonts.css: node_modules/.installed scripts/vendor_assets.py
	$(PY) scripts/vendor_assets.py

install: $(VENV)/.installed static/vendor/fonts.css

run: install
	$(LOCAL) $(PY) manage.py migrate --noinput
	$(LOCAL) $(PY) manage.py load_territory
	$(LOCAL) $(PY) manage.py load_psm
	$(LOCAL) $(PY) manage.py load_demo
	@echo ""
	@echo "  PSM Giovani: http://$(HOST):$(PORT)/   (amministrazione: http://$(HOST):$(PORT)/admin/)"
	@echo ""
	$(MAKE) --no-print-directory serve

serve:
	$(LOCAL) $(VENV)/bin/uvicorn config.asgi:application --app-dir site --host $(HOST) --port $(PORT)

# Debian's Chromium drives the browser tests (no browser download): installed when missing.
browser-deps:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: install browser-deps
	$(MAKE) --no-print-directory test-unit test-browser

test-unit:
	$(PYTEST) -m "not browser" -n 2 $(PYTEST_ARGS)

# A separate pytest process: Playwright's sync API leaves an event loop in the test thread.
test-browser:
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PYTEST) -m browser tests/browser $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=site:. $(VENV)/bin/lint-imports

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

messages:
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=static
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles db.sqlite3

# Throughput against the server's own limit (docs/performance.md): PostgreSQL database
# psm_bench when DATABASE_URL is set, else a temporary SQLite file; table + bench-results/bench.json.
bench: install bench-deps
	$(PY) scripts/bench.py

# Debian's wrk drives the HTTP benchmarks: installed when missing.
bench-deps:
	@command -v wrk >/dev/null || { \
	  echo "Installing Debian's wrk for the benchmarks"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }

# Reliability drills (docs/reliability.md): one line per drill; fails only on a real fault.
drills: install
	$(PY) scripts/drills/run.py
