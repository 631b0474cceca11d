# Samverka: `make run` sets everything up and serves the demo; `make test` sets up, lints and runs the tests;
# `make serve` serves it in production (gunicorn, gunicorn.conf.py) against DATABASE_URL.
VENV    ?= .venv
PYTHON  := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask --app wsgi
STAMP   := $(VENV)/.installed
HOST    ?= 127.0.0.1
PORT    ?= 5000
# Test processes for the non-browser tests: `auto` is one per core (pytest-xdist); WORKERS=0 runs them serially.
WORKERS ?= auto

.PHONY: setup run serve lint test suite test-fast catalogues extract-messages clean

$(STAMP): requirements.txt requirements-dev.txt scripts/setup-system.sh
	@echo "==> Checking system packages"
	@bash scripts/setup-system.sh
	@echo "==> Creating the virtualenv in $(VENV) and installing pinned requirements"
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check --upgrade pip
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

setup: $(STAMP) catalogues

catalogues: $(STAMP)
	@echo "==> Compiling translations"
	@$(VENV)/bin/pybabel compile --statistics -d tracker/translations 2>&1 | sed 's/^/    /'

extract-messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy -k lazy_pgettext:1c,2 --project=Samverka --copyright-holder=Samverka -o tracker/translations/messages.pot .
	$(VENV)/bin/pybabel update -i tracker/translations/messages.pot -d tracker/translations --no-fuzzy-matching
	$(PYTHON) scripts/tidy_catalogues.py
	@echo "Now translate the new messages in tracker/translations/sv/LC_MESSAGES/messages.po."

run: setup
	@echo "==> Bringing the database schema up to date (instance/samverka.sqlite3 unless DATABASE_URL is set)"
	@$(FLASK) db upgrade
	@echo "==> Adding demo data on first run"
	@$(FLASK) seed-demo --if-empty
	@echo ""
	@echo "Samverka runs at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@echo "Demo sign-ins, password samverka-demo-2026:"
	@echo "    anna.lindqvist@lansstyrelsen.example.se    administrator"
	@echo "    erik.johansson@polisen.example.se          coordinator, Polisen Järva"
	@echo "    maria.nilsson@rinkebykista.example.se      coordinator, socialtjänsten Rinkeby-Kista"
	@echo "    gunnar.wallin@lansstyrelsen.example.se     steering-group member (read only)"
	@echo ""
	@$(FLASK) run --host $(HOST) --port $(PORT)

# Production: migrations, then gunicorn with gunicorn.conf.py (SAMVERKA_BIND or PORT, WEB_CONCURRENCY; README,
# "Deployment"). No demo data. The environment is the one gunicorn gets: SAMVERKA_SECRET_KEY, REDIS_URL, and so on.
serve: setup
	@if [ -z "$$DATABASE_URL" ]; then \
	  echo "==> DATABASE_URL is not set: serving the embedded SQLite database instance/samverka.sqlite3"; \
	  echo "    (one machine only; set DATABASE_URL=postgresql://user@host/samverka for production)"; \
	else \
	  echo "==> Bringing the schema of the PostgreSQL database in DATABASE_URL up to date"; \
	fi
	@$(FLASK) db upgrade
	@test -n "$$REDIS_URL" || echo "==> REDIS_URL is not set: rate limits count per process, mail goes out from cron"
	@echo "==> Serving with gunicorn (gunicorn.conf.py); Ctrl-C stops it"
	@exec $(VENV)/bin/gunicorn --config gunicorn.conf.py wsgi:app

# Every check runs and reports; the target fails if any of them failed.
lint: $(STAMP)
	@echo "==> Lint: ruff check . / mypy tracker / lint-imports"
	@status=0; \
	$(VENV)/bin/ruff check . || status=1; \
	$(VENV)/bin/mypy tracker || status=1; \
	$(VENV)/bin/lint-imports || status=1; \
	exit $$status

# Lint first, then the tests. `.ci/run` calls `suite` for its second database so lint runs once.
test: lint suite

suite: setup
	@echo "==> Running the tests on $${DATABASE_URL:-SQLite}, in $(WORKERS) processes (browser tests apart)"
	@$(VENV)/bin/pytest -n $(WORKERS) -m "not browser"
	@echo "==> Running the browser tests on $${DATABASE_URL:-SQLite}, in one process"
	@$(VENV)/bin/pytest -m browser tests/browser

test-fast: setup
	@$(VENV)/bin/pytest -n $(WORKERS) -m "not browser"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache build
