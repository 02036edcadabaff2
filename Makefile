# Bokbro: `make demo` runs the demo on SQLite; `make test` runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test setup check clean serve bench bench-events messages lock audit

$(STAMPS):
	@mkdir -p $(STAMPS)

# The virtualenv is (re)built only when the dependencies change. It gets exactly the versions in
# requirements.lock (checked against their hashes), the ones CI tested; `make lock` renews the
# lock after a change of pyproject.toml's dependencies (a test checks that the two agree).
$(STAMPS)/venv: pyproject.toml requirements.lock | $(STAMPS)
	@if command -v uv >/dev/null 2>&1; then \
		[ -x $(PY) ] || uv venv --python python3 $(VENV); \
		uv pip install --python $(PY) --require-hashes -r requirements.lock; \
		uv pip install --python $(PY) --no-deps -e .; \
	else \
		[ -x $(PY) ] || python3 -m venv $(VENV); \
		$(PY) -m pip install --quiet --upgrade pip; \
		$(PY) -m pip install --quiet --require-hashes -r requirements.lock; \
		$(PY) -m pip install --quiet --no-deps -e .; \
	fi
	@touch $@

lock: $(STAMPS)/venv
	$(VENV)/bin/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

# Known vulnerabilities in the locked versions, from PyPI's advisory data (pip-audit). Where that
# service cannot be reached (an offline machine), it says so and does not fail the check.
audit: $(STAMPS)/venv
	@if $(PY) scripts/audit-reachable; then \
		$(VENV)/bin/pip-audit --strict --disable-pip --no-deps -r requirements.lock; \
	else \
		echo "audit: skipped, PyPI's advisory data (pypi.org/pypi/<name>/<version>/json) cannot be reached from here"; \
	fi

# Front-end packages (Designsystemet, htmx, axe-core) and the HTML checker (vnu-jar) come from npm;
# node_modules is never committed. No install scripts: vnu-jar's would fetch a Java runtime from
# GitHub when none is installed, and scripts/system-deps --browser installs Debian's instead.
$(STAMPS)/npm: package.json package-lock.json | $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
	@touch $@

$(STAMPS)/system: scripts/system-deps | $(STAMPS)
	scripts/system-deps
	@touch $@

# Static files are collected (and compressed, ~20 s) only when their sources or packages change.
STATIC_SOURCES := $(shell find bokbro -path '*/static/*' -type f 2>/dev/null)
$(STAMPS)/static: $(STAMPS)/venv $(STAMPS)/npm $(STATIC_SOURCES) | $(STAMPS)
	$(PY) manage.py collectstatic --noinput -v 0
	@touch $@

# The compiled translations, only when a .po file changes (so two `make test` running side by
# side, as CI's two legs do, never write the same .mo file at once).
PO_FILES := $(wildcard bokbro/locale/*/LC_MESSAGES/django.po)
$(STAMPS)/messages: $(STAMPS)/venv $(PO_FILES) | $(STAMPS)
	cd bokbro && ../$(PY) ../manage.py compilemessages -v 0
	@touch $@

setup: $(STAMPS)/system $(STAMPS)/venv $(STAMPS)/npm $(STAMPS)/static $(STAMPS)/messages

# The links in the demo's mails point at the port it is served on (unless SITE_ROOT is set).
DEMO_SITE = SITE_ROOT="$${SITE_ROOT:-http://127.0.0.1:$(PORT)}"

demo: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py import_directory
	$(DEMO_SITE) $(PY) manage.py load_demo --port $(PORT)
	$(DEMO_SITE) $(PY) manage.py serve --host $(HOST) --port $(PORT)

test: setup
	BOKBRO_TESTING=1 $(PY) -m pytest $(PYTEST_ARGS)

check: setup audit
	$(VENV)/bin/ruff check bokbro bench
	$(VENV)/bin/ruff format --check bokbro bench
	$(VENV)/bin/mypy bokbro
	$(PY) manage.py makemigrations --check --dry-run -v 0

bench: setup
	BOKBRO_TESTING=1 $(PY) bench/run.py

# Over HTTP with gunicorn and PostgreSQL (BENCH_DATABASE_URL, default .../bokbro_bench).
bench-events: setup
	$(PY) bench/registration_burst.py
	$(PY) bench/calendar_page.py

# After changing UI text: extract, translate bokbro/locale/*/LC_MESSAGES/django.po, compile.
messages: $(STAMPS)/venv
	cd bokbro && ../$(PY) ../manage.py makemessages -l nb -l nn -l sv -l en --no-obsolete --ignore 'locale/*'
	$(PY) bokbro/locale/merge_allauth.py
	cd bokbro && ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) $(STAMPS) staticfiles node_modules
