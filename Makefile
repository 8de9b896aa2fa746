# One-stop centre case management. `make run` starts everything; `make test` runs the whole suite.
# Configuration comes from the environment (see README.md); every target works on a fresh Debian/Ubuntu machine.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_WORKERS ?= 3
WORKER_CONCURRENCY ?= 2
# The local "VNeID (mô phỏng)" citizen sign-in provider (node's oidc-provider), started by `make run`.
VNEID_DIR := seeds/simulators/vneid
VNEID_PORT ?= 8089
# WeasyPrint needs pango and harfbuzz-subset; Noto/DejaVu carry the Vietnamese glyphs; chromium runs the browser tests.
SYSTEM_PACKAGES := python3-venv python3-dev libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	fonts-dejavu-core fonts-noto-core gettext chromium poppler-utils postgresql redis-server wrk graphviz
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PYTHONUNBUFFERED := 1

.PHONY: run test test-unit test-e2e bench setup system-deps venv simulators services database migrate messages \
	seed banner lint clean

setup: system-deps venv simulators services database

system-deps:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || { \
		echo "Installing system packages: $(SYSTEM_PACKAGES)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES); }
	@command -v node >/dev/null && command -v npm >/dev/null || { \
		echo "Installing Node.js and npm (the local VNeID provider)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm; }

venv: $(VENV)/.installed

# Reinstalled whenever the dependency list changes.
$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $@

# The local VNeID provider's npm packages (package-lock.json), installed again whenever the lock changes.
simulators: $(VNEID_DIR)/node_modules/.installed

$(VNEID_DIR)/node_modules/.installed: $(VNEID_DIR)/package.json $(VNEID_DIR)/package-lock.json
	cd $(VNEID_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Starts PostgreSQL and Redis when they are not already answering (a no-op on machines that run them as services).
services:
	@SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	pg_isready -q -h 127.0.0.1 -p 5432 || for v in $$(ls /etc/postgresql); do \
		$$SUDO pg_ctlcluster --skip-systemctl-redirect $$v main start || true; done; \
	redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
		mkdir -p var; redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
		--dir /tmp --logfile "$(CURDIR)/var/redis.log"; }
	@for i in $$(seq 1 30); do \
		pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && exit 0; sleep 1; done; \
		echo "PostgreSQL or Redis did not start"; exit 1

database: venv services
	@$(PY) -m config.dbcreate

migrate: database
	$(PY) manage.py migrate --noinput

# The English catalogue (config/locale) is compiled here; .mo files are build output, not in git.
messages: venv
	@$(PY) manage.py compilemessages --ignore='.venv/*' --ignore='var/*' -v 0

# Every step is idempotent: a second `make run` finds the rows and files and changes nothing.
seed: migrate messages
	$(PY) manage.py import_agencies
	@if [ -f seeds/procedures.csv ]; then $(PY) manage.py import_procedures seeds/procedures.csv; fi
	$(PY) manage.py seed_demo
	$(PY) manage.py create_dev_ca

banner:
	@$(PY) manage.py demo_banner --url http://$(HOST):$(PORT)/

# Web, worker, beat, the national-platform simulators (seeds/simulators) and the local VNeID provider in the
# foreground, each started again if it dies (deploy/keep-running, as systemd does in production); Ctrl-C stops
# them all.
run: setup seed
	@mkdir -p var
	@$(PY) manage.py collectstatic --noinput -v 0
	@$(PY) manage.py demo_banner --url http://$(HOST):$(PORT)/
	@export VNEID_URL=$${VNEID_URL:-http://127.0.0.1:$(VNEID_PORT)}; \
	trap 'trap - INT TERM EXIT; kill $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	deploy/keep-running web \
		$(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WEB_WORKERS) --access-logfile - & \
	deploy/keep-running worker \
		$(VENV)/bin/celery -A config worker --loglevel INFO --concurrency $(WORKER_CONCURRENCY) & \
	deploy/keep-running beat \
		$(VENV)/bin/celery -A config beat --loglevel INFO --schedule var/celerybeat-schedule & \
	deploy/keep-running simulators $(PY) -m seeds.simulators & \
	VNEID_PORT=$(VNEID_PORT) \
	VNEID_REDIRECT_URIS=http://$(HOST):$(PORT)/accounts/vneid/callback/,http://localhost:$(PORT)/accounts/vneid/callback/ \
	VNEID_POST_LOGOUT_URIS=http://$(HOST):$(PORT)/accounts/login/,http://localhost:$(PORT)/accounts/login/ \
	deploy/keep-running vneid node $(VNEID_DIR)/server.js & \
	wait

# The whole suite: unit and integration tests, then the browser tests (exit code 5 = none collected).
test: setup messages
	@mkdir -p var/staticfiles
	$(PY) -m pytest --create-db
	$(PY) -m pytest -m e2e --create-db || [ $$? -eq 5 ]

test-unit: setup messages
	@mkdir -p var/staticfiles
	$(PY) -m pytest

test-e2e: setup messages
	$(PY) -m pytest -m e2e || [ $$? -eq 5 ]

bench: setup
	$(PY) -m tests.bench.run

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf var/media var/staticfiles var/celerybeat-schedule
