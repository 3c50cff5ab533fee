# Two commands on a fresh machine with Python, make and Node: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
# The web app's packages, reinstalled (npm ci) when the lock file changes.
NPM_STAMP := web/node_modules/.installed-$(shell cksum < web/package-lock.json | cut -d' ' -f1)
# Debian's Chromium drives the browser journeys (Playwright's own browser download needs the internet).
CHROMIUM ?= /usr/bin/chromium
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT   ?= 8000
S3_PORT ?= 9000
WEB_PORT ?= 5173
# `make run` talks to a local moto server instead of AWS (uploads land there).
LOCAL_AWS := AWS_ENDPOINT_URL=http://127.0.0.1:$(S3_PORT) AWS_ACCESS_KEY_ID=local \
             AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=eu-west-1
# ... and Google sends the browser back to, and pushes to, this API's port.
LOCAL_GOOGLE := GOOGLE_REDIRECT_URI=http://127.0.0.1:$(PORT)/calendar/google/callback \
                GOOGLE_PUSH_ADDRESS=http://127.0.0.1:$(PORT)/calendar/google/notifications

# The stage `make synth` and `make deploy` build (infra/stages.json).
STAGE ?= prod
# jsii (aws-cdk-lib's runtime) warns on every start that this Node is past its end of life.
CDK_ENV := JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
CDK_STAMP := infra/node_modules/.installed-$(shell cksum < infra/package-lock.json | cut -d' ' -f1)

.PHONY: run test test-python test-web test-infra synth deploy migrate demo bench web-build api-types vendor-google clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

$(NPM_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

# Embedded PostgreSQL + migrations + demo business, a local AWS (moto: uploads, secrets), the Stripe
# twin (its Checkout and portal pages post signed webhooks to the API), the Google twin on :9300 (a
# consent page, a calendar store, push notifications to the API), the web app (Vite), the API,
# and the schedules (reminders, outbox sweep, retention, billing) that chalice local does not run.
run: $(STAMP) $(NPM_STAMP)
	$(PY) -m chalicelib.core.migrations
	$(PY) -m chalicelib.system.demo
	$(VENV)/bin/moto_server -H 127.0.0.1 -p $(S3_PORT) >.local/moto.log 2>&1 & MOTO=$$!; \
	  STRIPE_TWIN_WEBHOOK_URL=http://127.0.0.1:$(PORT)/billing/webhook \
	    $(PY) -m chalicelib.integrations.stripe_twin_server & STRIPE=$$!; \
	  $(LOCAL_GOOGLE) $(PY) -m chalicelib.integrations.google_twin_server & GOOGLE=$$!; \
	  (cd web && exec npx vite --host 127.0.0.1 --port $(WEB_PORT) --strictPort --clearScreen false) & WEB=$$!; \
	  export $(LOCAL_AWS) $(LOCAL_GOOGLE); \
	  $(PY) -m chalicelib.system.local_schedules & SCHEDULES=$$!; \
	  trap 'kill $$MOTO $$STRIPE $$GOOGLE $$WEB $$SCHEDULES 2>/dev/null' EXIT INT TERM; \
	  $(PY) -m chalicelib.system.local_bucket && \
	  echo "Web app: http://127.0.0.1:$(WEB_PORT)  API: http://127.0.0.1:$(PORT)" && \
	  $(VENV)/bin/chalice local --no-autoreload --stage local --host 127.0.0.1 --port $(PORT)

test: test-infra test-python test-web

# Both stages' stacks synthesise, pass cdk-nag and cfn-lint; prints the time this adds to `make test`.
test-infra: $(STAMP) web/dist/index.html
	@started=$$(date +%s); \
	  $(MAKE) --no-print-directory synth STAGE=prod && $(MAKE) --no-print-directory synth STAGE=staging && \
	  echo "infra: synth, cdk-nag and cfn-lint of prod and staging took $$(( $$(date +%s) - started )) s"

# The stage's CDK app, offline (no AWS account needed): infra/cdk.out/$(STAGE)/, cdk-nag's AWS Solutions
# checks at synth (a finding without its suppression fails), then cfn-lint over every template.
synth: $(STAMP) web/dist/index.html
	$(CDK_ENV) STAGE=$(STAGE) $(PY) infra/cdk_app.py
	$(VENV)/bin/cfn-lint --config-file infra/.cfnlintrc.yaml --regions $$($(PY) -c 'import json; print(json.load(open("infra/stages.json"))["$(STAGE)"]["region"])') \
	  -- infra/cdk.out/$(STAGE)/*.template.json

$(CDK_STAMP): infra/package.json infra/package-lock.json
	cd infra && npm ci --no-audit --no-fund --loglevel=error
	touch $(CDK_STAMP)

# Everything, in order, from the assembly `make synth` just checked (README: "Deploying").
# The web app is rebuilt first: the Storage stack uploads web/dist as it is.
deploy: web-build $(CDK_STAMP)
	$(MAKE) --no-print-directory synth STAGE=$(STAGE)
	cd infra && $(CDK_ENV) npx cdk deploy --all --app cdk.out/$(STAGE) --require-approval broadening

# The web app's production build, which the Storage stack uploads (rebuilt by web-build).
web/dist/index.html: $(NPM_STAMP)
	cd web && npx tsc -b && npx vite build --logLevel warn

test-python: $(STAMP)
	$(PY) -m pytest -q -n 2

# Types, unit tests (Vitest), the production build, then the journeys in Chromium against the API.
test-web: $(STAMP) $(NPM_STAMP) $(CHROMIUM)
	cd web && npx tsc -b && npx vitest run && npx vite build --logLevel warn && CHROMIUM_PATH=$(CHROMIUM) npx playwright test

web-build: $(NPM_STAMP)
	cd web && npx tsc -b && npx vite build

# After a route changes: the OpenAPI copy and the client's types generated from it.
api-types: $(STAMP) $(NPM_STAMP)
	$(PY) -m chalicelib.system.openapi_file web/openapi.json
	cd web && npm run --silent api:types

# googleapiclient for the deployment package, in vendor/ (Chalice adds its contents as they are): the release
# pinned in requirements-dev.txt, copied from .venv without its ~600 discovery documents but calendar v3's.
# requirements.txt lists its dependencies instead of it. Rerun after changing that pin: a test compares them.
vendor-google: $(STAMP)
	rm -rf vendor/googleapiclient vendor/google_api_python_client-*.dist-info && mkdir -p vendor
	SITE=$$($(PY) -c 'import googleapiclient, os; print(os.path.dirname(os.path.dirname(googleapiclient.__file__)))'); \
	  DIST=$$(cd $$SITE && echo google_api_python_client-*.dist-info); \
	  cp -r $$SITE/googleapiclient vendor/ && mkdir vendor/$$DIST && \
	  cp -r $$SITE/$$DIST/METADATA $$SITE/$$DIST/WHEEL $$SITE/$$DIST/licenses vendor/$$DIST/
	find vendor/googleapiclient -name __pycache__ -prune -exec rm -r {} +
	find vendor/googleapiclient/discovery_cache/documents -type f ! -name calendar.v3.json -delete

migrate: $(STAMP)
	$(PY) -m chalicelib.core.migrations

demo: $(STAMP)
	$(PY) -m chalicelib.system.demo

bench: $(STAMP) web-build
	$(PY) bench/cold_import.py
	$(PY) bench/db_connect.py
	$(PY) bench/availability.py
	$(PY) bench/booking.py
	$(PY) bench/scale.py
	$(PY) bench/reminders.py
	$(PY) bench/retention.py
	$(PY) bench/billing_webhook.py
	$(PY) bench/admin_metrics.py
	$(PY) bench/google_sync.py
	$(PY) bench/calendar_busy.py
	$(PY) bench/calendar_worker_import.py
	$(PY) bench/web_bundle.py
	$(PY) bench/package_size.py
	$(PY) bench/cold_start.py
	$(PY) bench/metrics_import.py
	$(MAKE) --no-print-directory synth STAGE=prod
	$(PY) bench/infra_resources.py
	$(PY) bench/infra_cost.py
	@echo "Time to first slots needs 'make run' in another terminal: node bench/web_first_slots.mjs"

clean:
	rm -rf .local web/dist web/test-results
