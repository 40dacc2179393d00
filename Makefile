# Two commands for a fresh clone: `make run` and `make test`. Both build on `make install`, which only sets up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
REPORTS := $(sort $(wildcard fixtures/reports/*.json))

.PHONY: install run test lint setup-data clean bench loadtest

CHROMIUM := /usr/bin/chromium

install: $(INSTALLED) $(NODE_INSTALLED) $(CHROMIUM)

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(INSTALLED)

# GOV.UK Frontend and MoJ Frontend (served by WhiteNoise), axe-core for the accessibility tests.
$(NODE_INSTALLED): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $(NODE_INSTALLED)

# The browser tests drive Debian's Chromium through Playwright; Playwright never downloads a browser here.
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Migrate and load the reference data and the five reports into the local database (idempotent).
setup-data: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_frameworks fixtures/frameworks.json
	$(BIN)/python manage.py load_reports $(REPORTS)

run: setup-data
	DJANGO_DEBUG=1 $(BIN)/python manage.py create_demo_users
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

# Page times, query counts and SQL floors on PostgreSQL (127.0.0.1:5432): BENCH_SCALE=small (default) or full.
# Writes .bench/results.json; docs/performance.md explains the method and gives the figures.
bench: install
	$(BIN)/python bench/run.py

# A real server (gunicorn, 4 workers, production settings) on 127.0.0.1 under 32 clients for 60 s, on PostgreSQL
# (database yos_findings_load, recreated). Not part of `make test`. Writes .bench/loadtest.json (docs/performance.md).
loadtest: install
	$(BIN)/python loadtest/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles *.egg-info
