#!/usr/bin/env bash
# `make fuzz`: Schemathesis' long profile against a live gunicorn (production settings, two
# workers) on a throw-away database with the demo world: every operation of the published
# schema, FUZZ_EXAMPLES examples each (default 200), seeded (FUZZ_SEED), with the personal
# token of each kind of role in turn. Fails on any 5xx or any answer the schema does not
# document (status, content type, body). CI runs the bounded profile
# (tests/api/test_schemathesis.py).
# The database: FUZZ_DATABASE_URL, else a SQLite file in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
examples="${FUZZ_EXAMPLES:-200}"
seed="${FUZZ_SEED:-20261201}"
work=$(mktemp -d)
port=$(.venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
export DATABASE_URL="${FUZZ_DATABASE_URL:-sqlite:///$work/fuzz.sqlite3}"
export DEBUG=false ALLOWED_HOSTS=127.0.0.1 API_RATE_LIMIT=1000000/minute
unset REDIS_URL  # the embedded broker: tasks wait in var/broker
mkdir -p var/broker
gunicorn_pid=""
cleanup() {
  [ -n "$gunicorn_pid" ] && kill "$gunicorn_pid" 2>/dev/null && wait "$gunicorn_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo >/dev/null
.venv/bin/gunicorn logement_toujours.wsgi --bind "127.0.0.1:$port" --workers 2 --timeout 60 \
  --log-level warning &
gunicorn_pid=$!
for _ in $(seq 1 120); do
  .venv/bin/python -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
  sleep 0.5
done
status=0
for user in coordinator.lt cesf.opac38 caseworker.oiseaubleu manager.actis; do
  token=$(.venv/bin/python manage.py shell -c "from partners.models import ApiToken, User; print(ApiToken.objects.create_for(user=User.objects.get(username='$user'), name='fuzz')[1])" | tail -n 1)
  echo "== $user: $examples examples per operation, seed $seed"
  .venv/bin/st run "http://127.0.0.1:$port/api/schema/" \
    --header "Authorization:Token $token" \
    --max-examples "$examples" --seed "$seed" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    || status=1
done
exit $status
