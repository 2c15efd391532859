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

.PHONY: install run serve test test-unit test-browser lint check bench bench-deps weight browser-deps saml-deps drills clean messages

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) scripts/source_roots.py
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Bootstrap Italia built from its SCSS and ES modules (sass, esbuild), fonts subset (fontTools).
static/vendor/fonts.css: $(VENV)/.installed node_modules/.installed scripts/vendor_assets.py $(wildcard assets/*/*)
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

# Hashed, Brotli/gzip-compressed static files as in production (settings/local.py), collected
# again only when a file under static/ changed.
staticfiles/staticfiles.json: static/vendor/fonts.css $(shell find static -type f -not -path 'static/vendor/*' 2>/dev/null)
	$(LOCAL) $(PY) manage.py collectstatic --noinput --verbosity 0

serve: staticfiles/staticfiles.json
	$(LOCAL) $(VENV)/bin/uvicorn config.asgi:application --app-dir site --host $(HOST) --port $(PORT) \
	  --ws websockets-sansio --ws-per-message-deflate false

# Debian's Chromium drives the browser tests (no browser download): installed when missing.
browser-deps:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian's xmlsec1 signs and checks SAML messages for SPID and CIE (pysaml2): installed when missing.
saml-deps:
	@command -v xmlsec1 >/dev/null || { \
	  echo "Installing Debian's xmlsec1 for SPID and CIE (SAML signatures)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq xmlsec1 >/dev/null; }

test: install browser-deps saml-deps
	$(MAKE) --no-print-directory test-unit test-browser

test-unit:
	$(PYTEST) -m "not browser" -n 2 $(PYTEST_ARGS)

# A separate pytest process: Playwright's sync API leaves an event loop in the test thread.
test-browser:
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PYTEST) -m browser tests/browser $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

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
	$(PY) scripts/bench_conversations.py --db
	$(PY) scripts/bench_weight.py

# Page weight (decoded and transferred bytes per page, Playwright) and Lighthouse's mobile
# performance score and LCP on the key pages: docs/performance.md, "Peso delle pagine".
weight: install browser-deps
	$(PY) scripts/bench_weight.py

# Debian's wrk drives the HTTP benchmarks: installed when missing.
bench-deps:
	@command -v wrk >/dev/null || { \
	  echo "Installing Debian's wrk for the benchmarks"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }

# Reliability drills (docs/reliability.md): one line per drill; fails only on a real fault.
drills: install
	$(PY) scripts/drills/run.py
