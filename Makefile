# `make run` and `make test` are all a newcomer needs (README). Everything else is for developers and CI.
# The virtualenv's Python: the system's own where it is 3.11 or newer and can make virtualenvs, else python3 on the
# PATH. Debian's, like the official Docker image the app is deployed from (Dockerfile), is built with profile-guided
# optimisation; a plain build from source, such as pyenv's, runs this app about a sixth slower (docs/performance.md).
SYSTEM_PYTHON := $(shell /usr/bin/python3 -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' \
  2>/dev/null && echo /usr/bin/python3)
PYTHON ?= $(or $(SYSTEM_PYTHON),python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
TEST_WORKERS ?= auto
PORT ?= 8000
AT ?= 10:00:00
BENCH_VAR := SHAREDLIVES_VAR_DIR=$${SHAREDLIVES_VAR_DIR:-var/bench}

.PHONY: run test test-on lint format check worker beat syscheck seed-national clean bench messages

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

syscheck: $(STAMP)
	@$(BIN)/python -m sharedlives.syscheck

run: $(STAMP) syscheck
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo
	@echo "Open http://$(HOST):$(PORT)/ and sign in with one of the logins above."
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP) syscheck
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The suite with the clock moved to DAY by libfaketime (apt-get install faketime), to find tests that hold only on
# the day they were written. Browser and live-worker tests aside (Chromium is too slow under it); one process
# (faketime and pytest-xdist's workers do not mix). AT: the time of day (UTC), 10:00:00 unless told.
test-on: $(STAMP)
	@test -n "$(DAY)" || { echo "say which day: make test-on DAY=2027-06-15"; exit 2; }
	FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "@$(DAY) $(AT)" $(BIN)/pytest -p no:cacheprovider -q \
	  --ignore-glob='tests/test_browser_*.py' --ignore=tests/test_live_worker.py $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# After adding or changing words: find every marked string, then fill in the Welsh in locale/cy/LC_MESSAGES/django.po
# and run this again to compile it (needs GNU gettext: apt-get install gettext). CI fails while any Welsh is missing.
# locale/en_GB is filled by itself (each string its own translation: docs/performance.md says why).
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l cy -l en_GB --ignore=.venv --ignore=tests --ignore=bench --ignore=var
	msgen --force-po -o locale/en_GB/LC_MESSAGES/django.po locale/en_GB/LC_MESSAGES/django.po  # English is itself
	$(BIN)/python manage.py compilemessages -l cy -l en_GB --ignore=.venv

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: $(STAMP)
	$(BIN)/celery -A sharedlives worker -l info

beat: $(STAMP)
	$(BIN)/celery -A sharedlives beat -l info

seed-national: $(STAMP)
	$(BIN)/python manage.py seed_demo --scale national

clean:
	rm -rf $(VENV) var

# The pages first: the sweep's reminders and the matching pool's scheme are data the demo-scale database has not got.
# Without DATABASE_URL, the benchmarks' data is a database of their own under var/bench/ (as bench/*.py choose).
# SWEEP_REDIS_URL: a Redis database of its own to queue the sweep's email jobs in, as deployed (emptied after).
bench: $(STAMP)
	$(BENCH_VAR) $(BIN)/python manage.py migrate --noinput -v0
	$(BENCH_VAR) $(BIN)/python manage.py seed_demo --scale national > /dev/null
	$(BIN)/python -m bench.pages --scheme riverside $(if $(DEMO_DATABASE_URL),--demo-database $(DEMO_DATABASE_URL))
	$(BIN)/python -m bench.reports
	$(BIN)/python -m bench.matching
	$(if $(SWEEP_REDIS_URL),REDIS_URL=$(SWEEP_REDIS_URL)) $(BIN)/python -m bench.sweep
	$(if $(SWEEP_REDIS_URL),redis-cli -u $(SWEEP_REDIS_URL) flushdb > /dev/null)
