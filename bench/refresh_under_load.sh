#!/bin/bash
# The refresh's duration idle and while 20 API clients create cases (issue
# 23: no more than twice its idle time), on a seeded MariaDB database DB:
# serves it with a refresh every 2 s and samples
# petition_collector_refresh_duration_seconds (the last refresh's duration)
# every 2 s (a refresh each), SECONDS idle after a minute of warming up
# (the first refresh reads what later ones keep; the start's upkeep runs),
# then SECONDS under wrk with create_cases.lua. It prints each phase's
# samples sorted. The seed's key
# is needed (RISKMON_PETITIONER_KEY): the database is claimed by it.
#   RISKMON_PETITIONER_KEY=... bench/refresh_under_load.sh DB [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1
secs=${2:-30}
port=9741
bin=$(mktemp -d)/riskmon
go build -o "$bin" ./cmd/riskmon
RISKMON_API_TOKEN=$(head -c 18 /dev/urandom | base64)
export RISKMON_API_TOKEN TOKEN=$RISKMON_API_TOKEN RISKMON_REFRESH_INTERVAL=2s
"$bin" serve --listen "127.0.0.1:$port" --db "mysql:root@tcp(127.0.0.1:3306)/$db" >/dev/null 2>&1 &
server=$!
trap 'kill $server; wait $server 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
	kill -0 $server
	sleep 0.5
done
sample() { # sample SECONDS: one line every 2 s, the last refresh's seconds
	for _ in $(seq $(($1 / 2))); do
		sleep 2
		curl -s "http://127.0.0.1:$port/metrics" | awk '/^petition_collector_refresh_duration_seconds /{print $2}'
	done
}
sleep 60
echo "idle:"
sample "$secs" | sort -g | tr '\n' ' '
echo
wrk -t2 -c20 -d"$((secs + 2))s" -s bench/create_cases.lua "http://127.0.0.1:$port" >/tmp/refresh_under_load.wrk &
wrkpid=$!
echo "20 clients creating cases:"
sample "$secs" | sort -g | tr '\n' ' '
echo
wait $wrkpid
grep -E "Requests/sec|Non-2xx" /tmp/refresh_under_load.wrk
