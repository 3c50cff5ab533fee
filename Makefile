# Two commands on a fresh machine with Python, make and Node: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT   ?= 8000

.PHONY: run test migrate demo bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

# Embedded PostgreSQL + migrations + demo business, a local S3 (moto) for uploads, then the API.
run: $(STAMP)
	$(PY) -m chalicelib.core.migrations
	$(PY) -m chalicelib.system.demo
	$(PY) -m chalicelib.system.local_services --port 9000 & \
	  trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  AWS_ENDPOINT_URL=http://127.0.0.1:9000 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \
	  AWS_DEFAULT_REGION=eu-west-1 $(VENV)/bin/chalice local --stage local --port $(PORT)

test: $(STAMP)
	$(PY) -m pytest -q

migrate: $(STAMP)
	$(PY) -m chalicelib.core.migrations

demo: $(STAMP)
	$(PY) -m chalicelib.system.demo

bench: $(STAMP)
	$(PY) bench/cold_import.py
	$(PY) bench/db_connect.py

clean:
	rm -rf .local
