# Two commands on a fresh machine with Python, make and Node: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT   ?= 8000
S3_PORT ?= 9000
WEB_PORT ?= 5173
# `make run` talks to a local moto server instead of AWS (uploads land there).
LOCAL_AWS := AWS_ENDPOINT_URL=http://127.0.0.1:$(S3_PORT) AWS_ACCESS_KEY_ID=local \
             AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=eu-west-1

.PHONY: run test migrate demo bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

# Embedded PostgreSQL + migrations + demo business, a local AWS (moto: uploads, secrets), the SPA, the API,
# and the schedules (reminders, outbox sweep, retention) that chalice local does not run.
run: $(STAMP)
	$(PY) -m chalicelib.core.migrations
	$(PY) -m chalicelib.system.demo
	$(VENV)/bin/moto_server -H 127.0.0.1 -p $(S3_PORT) >.local/moto.log 2>&1 & MOTO=$$!; \
	  API_BASE=http://127.0.0.1:$(PORT) node web/serve.mjs --port $(WEB_PORT) & WEB=$$!; \
	  export $(LOCAL_AWS); \
	  $(PY) -m chalicelib.system.local_schedules & SCHEDULES=$$!; \
	  trap 'kill $$MOTO $$WEB $$SCHEDULES 2>/dev/null' EXIT INT TERM; \
	  $(PY) -m chalicelib.system.local_bucket && \
	  echo "SPA: http://127.0.0.1:$(WEB_PORT)  API: http://127.0.0.1:$(PORT)" && \
	  $(VENV)/bin/chalice local --no-autoreload --stage local --host 127.0.0.1 --port $(PORT)

test: $(STAMP)
	$(PY) -m pytest -q -n 2
	node --test web/tests/

migrate: $(STAMP)
	$(PY) -m chalicelib.core.migrations

demo: $(STAMP)
	$(PY) -m chalicelib.system.demo

bench: $(STAMP)
	$(PY) bench/cold_import.py
	$(PY) bench/db_connect.py
	$(PY) bench/availability.py
	$(PY) bench/booking.py
	$(PY) bench/scale.py
	$(PY) bench/reminders.py
	$(PY) bench/retention.py

clean:
	rm -rf .local
