# The two commands a new user needs: `make run` and `make test`. Both are idempotent: a second
# run reuses the virtualenv, node_modules and compiled catalogs, and only redoes what changed.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# `make run` is a developer's own machine: DEBUG on, a random key kept in var/secret_key.
RUN_ENV = DEBUG=1 SECRET_KEY="$$(cat var/secret_key)"

PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test install lint format messages migrations-check vendor clean bench audit serve lock

run: install var/secret_key
	$(RUN_ENV) $(MANAGE) migrate --noinput
	$(RUN_ENV) $(MANAGE) load_demo_content
	$(RUN_ENV) $(MANAGE) ensure_local_admin
	@echo "Serving on http://127.0.0.1:8000/ (French: /fr/, Dutch: /nl/). Stop with Ctrl+C."
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed node_modules/.installed $(MO_FILES)

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# axe-core for the browser tests, from the npm registry, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the browser tests will skip (apt-get install nodejs npm)."; \
	fi

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	msgfmt --check -o $@ $<

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# Benchmarks (not tests): timings depend on the machine; copy the figures into README.md.
# The HTTP part needs wrk and nginx (Debian packages), PostgreSQL and Redis (benchmarks/http_bench.py).
bench: install
	$(PY) benchmarks/pdf_bench.py
	$(PY) benchmarks/http_bench.py

# The production configuration as production runs it: `manage.py check --deploy --fail-level
# WARNING` with example production variables, then the headers and cookies of a production-mode
# gunicorn on loopback (SQLite in a temporary directory). See scripts/audit_headers.py.
audit: install
	$(PY) scripts/audit_headers.py

# Code style, then the deployment files without a Docker engine (hadolint, docker-compose
# config, .env.example, the image's lock): scripts/check_deploy.py.
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) scripts/check_deploy.py

# Both locks from pyproject.toml: requirements.lock (runtime and dev: what `make install` and the
# tests use) and requirements.runtime.lock (the image's), held to the same versions.
LOCK_FLAGS := --quiet --allow-unsafe --generate-hashes --no-emit-index-url --no-emit-find-links --strip-extras
lock: $(VENV)/.installed
	$(VENV)/bin/pip-compile $(LOCK_FLAGS) --extra=dev --output-file=requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile $(LOCK_FLAGS) --constraint=requirements.lock \
		--output-file=requirements.runtime.lock pyproject.toml

# Production mode without Docker: gunicorn, a Celery worker and Celery beat against
# DATABASE_URL and REDIS_URL (and the other production variables: README, Configuration);
# Ctrl+C stops all three. Migrations and collectstatic first.
serve: install
	$(PY) scripts/serve.py

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the catalogs after changing UI strings; then translate every new entry in both.
messages: $(VENV)/.installed
	DEBUG=1 $(MANAGE) makemessages -l fr -l nl --no-location --no-obsolete \
		--ignore='.venv/*' --ignore='node_modules/*' --ignore='var/*'

migrations-check: $(VENV)/.installed
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

# Copy the pinned Bootstrap into static/vendor/ (committed: served from our own origin).
vendor: node_modules/.installed
	cp node_modules/bootstrap/dist/css/bootstrap.min.css* static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* static/vendor/bootstrap/
	cp node_modules/bootstrap/LICENSE static/vendor/bootstrap/LICENSE
	cp node_modules/jquery-ui/dist/jquery-ui.min.js static/vendor/jquery-ui/
	cp node_modules/jquery-ui/LICENSE.txt static/vendor/jquery-ui/LICENSE.txt

clean:
	rm -rf $(VENV) node_modules $(MO_FILES)
