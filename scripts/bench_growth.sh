#!/usr/bin/env bash
# `make bench-growth`: the page timings at two scales of data, on two databases generated
# once (BENCH_DATABASE_URL suffixed _s01 and _s1 for scales 0.1 and 1), with the same
# caseload for the ordinary partner at both (BENCH_CASELOAD, default 2,000 households), and
# per page the ratio p50 at the larger scale ÷ p50 at the smaller (target: < 1.5). Prints
# one JSON object.
#   BENCH_DATABASE_URL    default postgres://postgres@127.0.0.1:5432/logement_toujours_bench
#   BENCH_GROWTH_SCALES   default "0.1 1": the smaller scale, then the larger
#   BENCH_CASELOAD        default 2000; BENCH_REPEAT default 100
set -euo pipefail
cd "$(dirname "$0")/.."
base="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/logement_toujours_bench}"
read -r small large <<<"${BENCH_GROWTH_SCALES:-0.1 1}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for scale in "$small" "$large"; do
    suffix="_s${scale//./}"
    BENCH_DATABASE_URL="$base$suffix" BENCH_SCALE="$scale" \
        BENCH_CASELOAD="${BENCH_CASELOAD:-2000}" BENCH_PAGES_ONLY=1 BENCH_LOAD=0 \
        bash scripts/bench.sh >"$out/$scale.json"
done
.venv/bin/python - "$small" "$out/$small.json" "$large" "$out/$large.json" <<'PY'
import json, sys

small, large = sys.argv[1], sys.argv[3]
figures = {small: json.load(open(sys.argv[2])), large: json.load(open(sys.argv[4]))}


def p50(run, name):
    if name in run["lists"]:
        entry = run["lists"][name]
        return entry["page"]["p50_ms"] if "page" in entry else None
    return run["request_cost"][name]["p50_ms"]


pages = {}
names = list(figures[large]["lists"]) + list(figures[large]["request_cost"])
for name in names:
    before, after = p50(figures[small], name), p50(figures[large], name)
    if before is None or after is None:
        continue
    pages[name] = {
        f"p50_ms_scale_{small}": before,
        f"p50_ms_scale_{large}": after,
        "ratio": round(after / max(before, 0.01), 2),
        "under_1_5x": after / max(before, 0.01) < 1.5,
    }
print(
    json.dumps(
        {
            "scales": [float(small), float(large)],
            "households": {s: figures[s]["data"]["households"] for s in figures},
            "ordinary_partner_sees": {s: figures[s]["caseworker_sees"] for s in figures},
            "machine": figures[large]["machine"],
            "load_average_at_end": figures[large]["machine_at_end"]["load_average"],
            "pages": pages,
        },
        indent=2,
        ensure_ascii=False,
    )
)
PY
