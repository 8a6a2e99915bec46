#!/usr/bin/env bash
# The scrape benchmark of issue 23: riskmon's /metrics on the demo county
# against a bare net/http server writing the same gzip bytes
# (bench/barescrape), side by side in one run, wrk -t2 -c20 with gzip as
# Prometheus asks. Runs alternate, ROUNDS of each (default 3), SECONDS each
# (default 10). Usage: bash bench/scrape.sh [ROUNDS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3} secs=${2:-10}
dir=$(mktemp -d)
go build -o "$dir/riskmon" ./cmd/riskmon
go build -o "$dir/barescrape" ./bench/barescrape
"$dir/riskmon" serve --demo --listen 127.0.0.1:9720 >/dev/null 2>"$dir/riskmon.log" &
rm_pid=$!
trap 'kill $rm_pid ${bare_pid:-} 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf http://127.0.0.1:9720/readyz >/dev/null; do
	kill -0 $rm_pid # stop if the server died
	sleep 0.2       # waiting for a process to come up: nothing to wait on but time
done
"$dir/barescrape" -from http://127.0.0.1:9720/metrics -listen 127.0.0.1:9799 2>"$dir/bare.log" &
bare_pid=$!
until curl -sf -o /dev/null http://127.0.0.1:9799/metrics; do
	kill -0 $bare_pid
	sleep 0.2
done
cat "$dir/bare.log"
run() { wrk -t2 -c20 -d"${secs}s" -H 'Accept-Encoding: gzip' "$1" | awk '/Requests\/sec/ {print $2}'; }
for i in $(seq "$rounds"); do
	r=$(run http://127.0.0.1:9720/metrics) b=$(run http://127.0.0.1:9799/metrics)
	printf 'round %d: riskmon %s req/s, bare %s req/s: %s%%\n' "$i" "$r" "$b" "$(awk -v r="$r" -v b="$b" 'BEGIN {printf "%.0f", 100 * r / b}')"
done
