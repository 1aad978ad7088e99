# treem — two commands: `make run` (demo on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DATA := var
export DJANGO_SETTINGS_MODULE := treem.settings

.PHONY: run test install install-dev check lint typecheck bench clean lock messages audit

# The stamp files make a second `make run` skip installs when the lock files did not change.
$(VENV)/.base-installed: requirements/base.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.base-installed
	$(PIP) install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	touch $@

$(VENV)/.bench-installed: requirements/bench.txt $(VENV)/.dev-installed
	$(PIP) install --quiet --disable-pip-version-check --require-hashes -r requirements/bench.txt
	touch $@

install: $(VENV)/.base-installed

install-dev: $(VENV)/.dev-installed

# Demo: SQLite (WAL) under var/, national administrative units, synthetic demo data, demo logins.
run: install
	mkdir -p $(DATA)
	TREEM_DEMO=1 TREEM_DEBUG=1 $(PY) manage.py setup_demo
	TREEM_DEMO=1 TREEM_DEBUG=1 $(PY) manage.py privacy_defaults
	TREEM_DEMO=1 TREEM_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# The whole suite. SQLite by default; PostgreSQL when DATABASE_URL is set.
test: install-dev
	$(PY) -m ruff check treem tests benchmarks audit
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n $${TEST_WORKERS:-auto} -q

lint: install-dev
	$(PY) -m ruff check treem tests benchmarks audit

typecheck: install-dev
	$(PY) -m mypy treem

bench: install-dev $(VENV)/.bench-installed
	$(PY) -m benchmarks units
	$(PY) -m benchmarks registry --children $${CHILDREN:-1000000}
	$(PY) -m benchmarks import --rows $${ROWS:-100000}
	$(PY) -m benchmarks dedup --children $${CHILDREN:-1000000}
	$(PY) -m benchmarks indicators --children $${CHILDREN:-1000000}
	$(PY) -m benchmarks fund

# Accessibility, best practices and speed of each role's main pages on a throwaway demo
# (docs/audit.md): axe-core and Lighthouse from npm at the versions of package-lock.json, run
# against Debian's Chromium. Fails on a serious or critical axe violation or a Lighthouse
# accessibility or best-practices score below 95; prints the table to test-results/audit.md.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

audit: install-dev node_modules/.package-lock.json
	$(PY) -m audit

messages: install-dev
	cd treem && ../$(PY) ../manage.py compilemessages

# Regenerates the pinned lock files from pyproject.toml (needs pip-tools in the venv).
lock: install-dev
	$(PIP) install --quiet pip-tools
	$(VENV)/bin/pip-compile -q --generate-hashes --no-strip-extras --allow-unsafe -o requirements/base.txt pyproject.toml
	$(VENV)/bin/pip-compile -q --generate-hashes --no-strip-extras --allow-unsafe --extra dev -o requirements/dev.txt pyproject.toml
	$(VENV)/bin/pip-compile -q --generate-hashes --no-strip-extras --allow-unsafe --extra dev --extra bench -o requirements/bench.txt pyproject.toml

clean:
	rm -rf $(VENV) $(DATA) staticfiles node_modules
