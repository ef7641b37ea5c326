#!/usr/bin/env bash
# `make bench`: the benchmark on its own PostgreSQL database (created and filled once).
# Prints one JSON object on stdout (the data generation's progress goes to stderr): the pages
# and their floors, the worst-case partner, the notifications, the PDFs, the sweep, and under
# "concurrency" the load run of scripts/bench_load.py.
#   BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/logement_toujours_bench
#   BENCH_SCALE         default 1 (100,000 households); BENCH_REPEAT default 100 (samples)
#   BENCH_CASELOAD      households bench.caseworker sees (default 2,000 × BENCH_SCALE)
#   BENCH_LOAD          0 skips the concurrency run (scripts/bench_load.py)
#   BENCH_PAGES_ONLY    1 times the lists and a bare request only (the growth run)
set -euo pipefail
cd "$(dirname "$0")/.."
url="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/logement_toujours_bench}"
name="${url##*/}"
server="${url%/*}/postgres"
if [ "$(psql "$server" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" != "1" ]; then
    psql "$server" -qc "CREATE DATABASE \"$name\""
fi
export DATABASE_URL="$url"
.venv/bin/python manage.py migrate --noinput -v0 >&2
if ! .venv/bin/python manage.py shell -c \
    "from partners.models import Partner; exit(0 if Partner.objects.filter(short_name='bench-a01').exists() else 1)" >&2; then
    .venv/bin/python manage.py bench_data --scale "${BENCH_SCALE:-1}" \
        ${BENCH_CASELOAD:+--caseload "$BENCH_CASELOAD"} >&2
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
options=()
if [ "${BENCH_PAGES_ONLY:-0}" = "1" ]; then
    options+=(--pages-only)
fi
.venv/bin/python manage.py bench --repeat "${BENCH_REPEAT:-100}" "${options[@]}" >"$out/pages.json"
# The bounded concurrency run: gunicorn as in production and 1, 4, 16, 50 users, then the
# same with 3 users asking for the long PDF (BENCH_LOAD=0 skips it).
if [ "${BENCH_LOAD:-1}" != "0" ] && [ "${BENCH_PAGES_ONLY:-0}" != "1" ]; then
    .venv/bin/python scripts/bench_load.py >"$out/load.json"
else
    echo '{"skipped": "BENCH_LOAD=0"}' >"$out/load.json"
fi
.venv/bin/python - "$out/pages.json" "$out/load.json" <<'PY'
import json, sys

figures = json.load(open(sys.argv[1]))
figures["concurrency"] = json.load(open(sys.argv[2]))
print(json.dumps(figures, indent=2, ensure_ascii=False))
PY
