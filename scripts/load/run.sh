#!/usr/bin/env bash
# Load test of the operations server on loopback (issue 6): dispatch
# recommendations with 20 ARVs ranked by road on the real Rutland network,
# and incident creation on SQLite. Needs wrk (Debian: apt-get install wrk)
# and ../shared/data/osm/rutland-latest.osm.pbf beside the repository.
#
#   bash scripts/load/run.sh [seconds] [connections]   # default 10 s, 8 connections
#
# It builds arv, builds the Rutland graph, starts `arv serve --demo` on a
# fresh SQLite database in a temporary directory with the 20-ARV scenario,
# signs in, records and authorises one incident, then runs wrk against
#   GET  /api/v1/incidents/1/recommendation   (commander's session)
#   POST /api/v1/incidents                     (call handler's session)
#   GET  /board/live                           (the live board's refresh)
# and prints wrk's latency distribution for each.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-10}"
conns="${2:-8}"
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
pbf=../shared/data/osm/rutland-latest.osm.pbf
[ -f "$pbf" ] || { echo "$pbf is missing" >&2; exit 1; }

tmp=$(mktemp -d)
pid=
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -o "$tmp/arv" ./cmd/arv
"$tmp/arv" graph build --osm "$pbf" --out "$tmp/rutland.arvg" >/dev/null 2>&1
cp scripts/load/rutland-20.yaml "$tmp/"
cp scripts/load/create.lua "$tmp/"

addr=127.0.0.1:18090
"$tmp/arv" serve --demo --generate 0 --db "$tmp/load.db" --scenario "$tmp/rutland-20.yaml" --addr "$addr" >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
for _ in $(seq 1 600); do
	curl -sf "http://$addr/healthz" >/dev/null 2>&1 && break
	kill -0 $pid 2>/dev/null || { cat "$tmp/serve.err" >&2; exit 1; }
	sleep 0.1
done
base="http://$addr/api/v1"
password() { awk -v u="$1" '$0 ~ "  "u" " {print $NF}' "$tmp/serve.out"; }
login() { # user -> "cookie csrf"
	local hdr body
	body=$(curl -sf -D "$tmp/h" -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$(password "$1")\"}" "$base/login")
	echo "$(grep -i '^set-cookie:' "$tmp/h" | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*);.*/\1/' | tr -d '\r') $(echo "$body" | sed -E 's/.*"csrf_token":"([^"]*)".*/\1/')"
}
read -r icookie icsrf < <(login itfc)
read -r hcookie hcsrf < <(login handler)
curl -sf -H "Cookie: $hcookie" -H "X-CSRF-Token: $hcsrf" -H 'Content-Type: application/json' \
	-d '{"place":"Oakham","description":"Load test: man with a firearm"}' "$base/incidents" >/dev/null
curl -sf -H "Cookie: $icookie" -H "X-CSRF-Token: $icsrf" -H 'Content-Type: application/json' \
	-d '{"authorised":true,"limb":"weapon_access","ndm":{"information":"i","threat":"t","powers_and_policy":"p","options":"o","action_and_review":"a"},"tactics":"containment"}' \
	"$base/incidents/1/decision" >/dev/null
n=$(curl -sf -H "Cookie: $icookie" "$base/incidents/1/recommendation" | grep -o '"eligible":true' | wc -l)
echo "recommendation ranks 20 ARVs, $n eligible (crewed now)"

echo
echo "== GET /api/v1/incidents/1/recommendation: wrk -t2 -c${conns} -d${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: $icookie" "$base/incidents/1/recommendation"
echo
echo "== GET /board/live (the live board's refresh, HTML): wrk -t2 -c${conns} -d${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: $icookie" "http://$addr/board/live"
echo
echo "== POST /api/v1/incidents (SQLite): wrk -t2 -c16 -d${secs}s"
COOKIE="$hcookie" CSRF="$hcsrf" wrk -t2 -c16 -d"${secs}s" --latency -s "$tmp/create.lua" "$base/incidents"
echo
echo "audit: $("$tmp/arv" audit verify --db "$tmp/load.db" 2>&1 | head -1)"
