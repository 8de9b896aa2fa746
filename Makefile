# One-stop centre case management. `make run` starts everything; `make test` runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core \
	gettext chromium poppler-utils wrk
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PYTHONUNBUFFERED := 1

.PHONY: run test test-unit test-e2e bench setup system-deps venv services database migrate seed lint clean

setup: system-deps venv services database

system-deps:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || { \
		echo "Installing system packages: $(SYSTEM_PACKAGES)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES); }

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $@

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 -::1 \
		--port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && exit 0; sleep 1; done; \
		echo "PostgreSQL or Redis did not start"; exit 1

database: venv services
	@$(PY) -m config.dbcreate

migrate: database
	$(PY) manage.py migrate --noinput
	@$(PY) manage.py compilemessages --ignore='.venv/*' -v 0 || true

seed: migrate
	$(PY) manage.py import_agencies
	$(PY) manage.py import_procedures seeds/procedures.csv
	$(PY) manage.py seed_demo
	$(PY) manage.py create_dev_ca

run: setup seed
	@$(PY) manage.py collectstatic --noinput -v 0
	@$(PY) manage.py demo_banner --url http://$(HOST):$(PORT)/
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 3 --access-logfile - & \
	$(VENV)/bin/celery -A config worker --loglevel INFO --concurrency 2 & \
	$(VENV)/bin/celery -A config beat --loglevel INFO --schedule var/celerybeat-schedule & \
	wait

test: setup
	@mkdir -p var
	$(PY) -m pytest --create-db
	$(PY) -m pytest -m e2e --create-db tests/e2e || [ $$? -eq 5 ]

bench: setup
	$(PY) -m tests.bench.run

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf var/media var/staticfiles var/celerybeat-schedule
