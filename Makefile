# Newsroom: `make demo` brings up the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: demo test lint bench bench-extractor chaos worker beat lighthouse

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Newsroom needs Python 3.11 or later (set PYTHON=python3.12, say)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

# The demo's public address follows PORT: links in pages, feeds and emails.
DEMO_ENV = DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT)

demo: $(VENV)/.installed
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	$(DEMO_ENV) $(BIN)/python manage.py rundemo 127.0.0.1:$(PORT)

test: $(VENV)/.installed
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Reader pages under gunicorn on PostgreSQL and Redis, measured with wrk (bench/run.sh).
bench: $(VENV)/.installed
	VENV=$(VENV) bash bench/run.sh

# Outages under load (bench/chaos.py): Redis stopped and stalled, PostgreSQL
# cut, the worker killed, a row held; prints what was served and lost, exits 1
# if anything was lost. CHAOS_ARGS="--smoke" for 3 s faults.
chaos: $(VENV)/.installed
	$(BIN)/python bench/chaos.py $(CHAOS_ARGS)

bench-extractor: $(VENV)/.installed
	$(BIN)/python manage.py bench_extractor

worker: $(VENV)/.installed
	$(BIN)/celery -A newsroom worker -l info

beat: $(VENV)/.installed
	$(BIN)/celery -A newsroom beat -l info

# Lighthouse (npm, installed into var/npm by the test) driving Debian's Chromium on the
# article and front pages of the published demo story; reports in var/lighthouse.
lighthouse: $(VENV)/.installed
	$(BIN)/python -m pytest tests/browser/test_lighthouse.py -m lighthouse -s
