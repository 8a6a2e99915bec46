#!/bin/bash
# The refresh's duration idle and while 20 API clients create cases (issue
# 23: no more than twice its idle time), on a seeded MariaDB database DB:
# serves it with a refresh every 2 s and samples
# petition_collector_refresh_duration_seconds (the last refresh's duration)
# every 2 s (a refresh each), SECONDS idle after a minute of warming up
# (the first refresh reads what later ones keep; the start's upkeep runs),
# then SECONDS under wrk with create_cases.lua. It prints each phase's
# samples sorted, and each scraper's mean over them
# (petition_collector_scrape_duration_seconds). The seed's key
# is needed (RISKMON_PETITIONER_KEY): the database is claimed by it.
# SCATTER_DAYS (create_cases.lua) sets how far back the receipts go: 30
# unless set, every settled day of the windows moved at every refresh; 0,
# received as created. Beside each sample it times a fixed piece of one
# thread's CPU work (sha256sum of 16 MiB in /dev/shm, about as long as an
# idle refresh) and prints its median per phase: how much the writers
# stretch any work on this machine, the floor under the refresh's ratio.
#   RISKMON_PETITIONER_KEY=... [SCATTER_DAYS=0] bench/refresh_under_load.sh DB [SECONDS]
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
probe=$(mktemp -p /dev/shm)
trap 'kill $server; wait $server 2>/dev/null || true; rm -f "$probe"' EXIT
head -c 16M /dev/urandom >"$probe"
sample() { # sample SECONDS: every 2 s, the last refresh's seconds and each scraper's
	out=$(mktemp)
	for _ in $(seq $(($1 / 2))); do
		sleep 2
		curl -s "http://127.0.0.1:$port/metrics" | awk '/^petition_collector_refresh_duration_seconds /{print "total", $2}
			/^petition_collector_scrape_duration_seconds/{match($0, /scraper="[^"]*"/); print substr($0, RSTART + 9, RLENGTH - 10), $2}'
		{ TIMEFORMAT='probe %R'; time sha256sum "$probe" >/dev/null; } 2>&1
	done >"$out"
	awk '$1 == "total" {print $2}' "$out" | sort -g | tr '\n' ' '
	echo
	echo "  the CPU probe's median: $(awk '$1 == "probe" {print $2}' "$out" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}') s"
	echo "  by scraper, the mean in ms (the eight slowest):"
	awk '$1 != "total" && $1 != "probe" {s[$1] += $2; n[$1]++} END {for (k in s) printf "%s %.1f\n", k, 1000 * s[k] / n[k]}' "$out" |
		sort -k2 -g -r | head -8 | tr '\n' ';'
	echo
	rm "$out"
}
sleep 60
echo "idle:"
sample "$secs"
wrk -t2 -c20 -d"$((secs + 2))s" -s bench/create_cases.lua "http://127.0.0.1:$port" >/tmp/refresh_under_load.wrk &
wrkpid=$!
echo "20 clients creating cases:"
sample "$secs"
wait $wrkpid
grep -E "Requests/sec|Non-2xx" /tmp/refresh_under_load.wrk
