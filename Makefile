# Le logement toujours — two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: install run test lint format migrate demo system-test-deps bench bench-pdf bench-report \
	bench-lockout bench-load bench-growth backup restore faults fuzz proptest npm-deps

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: $(VENV)/.synced

migrate: install
	@mkdir -p var/broker
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

# The application with its embedded defaults: SQLite under var/, a broker that needs no
# server, the Celery worker with beat in the same process. Ctrl-C stops everything.
run: demo
	@echo ""
	@echo "  Le logement toujours : http://127.0.0.1:8000"
	@echo "  Identifiants de démonstration (mot de passe : logement-demo-2026) :"
	@echo "    coordinator.lt, cesf.actis, cesf.opac38, cesf.pluralis,"
	@echo "    caseworker.oiseaubleu, caseworker.ozanam, caseworker.ulisse,"
	@echo "    manager.<partenaire>, funder.fondation"
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/celery -A logement_toujours worker --beat --pool=solo --loglevel=INFO \
		--schedule var/celerybeat-schedule & \
	$(MANAGE) runserver 127.0.0.1:8000

# ruff, then the one-way layers of docs/architecture.md (import-linter, pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Debian packages the browser and compose tests need, when we may install them (root).
system-test-deps:
	@bash scripts/install-test-deps.sh

# The accessibility checker the browser tests inject into every page (axe-core, pinned in
# package.json and package-lock.json), installed into node_modules by npm.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

npm-deps: node_modules/.installed

# The whole suite, on PostgreSQL with a real Redis: the local ones (127.0.0.1, started or
# installed by scripts/ensure-services.sh where they do not answer) unless DATABASE_URL and
# REDIS_URL name others. The suite needs PostgreSQL (constraints, replica, fault suite).
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/logement_toujours
test: export REDIS_URL ?= redis://127.0.0.1:6379/0
test: install system-test-deps npm-deps lint
	@mkdir -p var/broker
	@bash scripts/ensure-services.sh
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

# The benchmark at the scale of a country (100,000 households), on PostgreSQL only: generates
# the data once into its own database, then prints one JSON object of figures.
bench: install
	@bash scripts/bench.sh

# The growth run: the pages at scale 0.1 and 1 (two databases, generated once), the ratio per page.
bench-growth: install
	@bash scripts/bench_growth.sh

# The concurrency run alone (gunicorn + 1, 4, 16, 50 users), on the benchmark's database.
bench-load: install
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/logement_toujours_bench} \
		$(BIN)/python scripts/bench_load.py

# The PDF summary of a typical case, on a throw-away database.
bench-pdf: install
	$(BIN)/python scripts/bench_pdf.py

# A login try with the real password hasher, before and after a lockout.
# The annual report of the demo year, as the background task makes it (under 2 s).
bench-report: install
	$(BIN)/python scripts/bench_report.py

bench-lockout: install
	$(BIN)/python scripts/bench_lockout.py

# A backup of the database (pg_dump -Fc for PostgreSQL, an online copy for SQLite) into
# BACKUP_DIR, keeping BACKUP_KEEP_DAYS; `make restore BACKUP=<file>` puts one back.
backup: install
	@bash scripts/backup.sh

restore: install
	@bash scripts/restore.sh "$(BACKUP)"

# The fault suite: private Redis and PostgreSQL on free ports, broken on purpose (frozen,
# killed, stopped, restarted), real gunicorn and Celery workers; it prints what it measured.
faults: install
	$(BIN)/pytest tests/faults -p no:cacheprovider -s $(PYTEST_ARGS)

# Schemathesis' long profile against a live gunicorn (FUZZ_EXAMPLES per operation, default
# 200, seeded by FUZZ_SEED); CI runs the bounded one (tests/api/test_schemathesis.py).
fuzz: install
	@bash scripts/fuzz.sh

# The workflow's stateful property test with its long profile (200 runs of 60 steps; the
# suite runs the bounded `ci` profile). Needs DATABASE_URL to a PostgreSQL server.
proptest: install
	WORKFLOW_PROPTEST_PROFILE=long $(BIN)/pytest tests/test_workflow_properties.py -p no:cacheprovider -q
