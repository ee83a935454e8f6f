#!/usr/bin/env bash
# Load run (issue #11): gunicorn with 2 workers on DATABASE_URL (seeded with `seed_demo`, any scale), then locust
# headless: 50 users, measured for 60 s from when all have signed in (bench/locustfile.py). Prints requests/s, p50/p95
# and errors per page, and the CPU the server used a request. Needs `pip install -e ".[bench]"`.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a seeded PostgreSQL database}"
PORT=${PORT:-8765}
# as deployed: Redis for the cache and the sessions (a database of its own, emptied first)
export DJANGO_SETTINGS_MODULE=sharedlives.settings.local DEBUG=false ALLOWED_HOSTS=127.0.0.1 \
  REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/7}
redis-cli -u "$REDIS_URL" flushdb > /dev/null
.venv/bin/gunicorn sharedlives.wsgi -w 2 -b 127.0.0.1:$PORT --log-level warning &
server=$!
trap 'kill $server' EXIT
for _ in $(seq 30); do curl -sf -o /dev/null http://127.0.0.1:$PORT/accounts/login/ && break; sleep 0.5; done
GUNICORN_PID=$server RUN_SECONDS=${SECONDS_TO_RUN:-60} .venv/bin/locust -f bench/locustfile.py --headless -u "${USERS:-50}" -r 10 \
  -t 300s --host http://127.0.0.1:$PORT --only-summary 2>&1 | grep -v "^\[" || true
