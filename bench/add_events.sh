#!/bin/bash
# The API event benchmark on a new MariaDB database: build riskmon, create
# riskmon_events with the demo units, serve it, create cases for 15 s
# (events_cases.lua), then add events to them with wrk for SECONDS
# (add_events.lua): 20 clients, as at a county's busiest.
#   bench/add_events.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
dir=$(mktemp -d)
bin=$dir/riskmon
go build -o "$bin" ./cmd/riskmon
dsn='mysql:root@tcp(127.0.0.1:3306)/riskmon_events'
# a key and a token of this run's own: published ones are refused outside --demo
RISKMON_PETITIONER_KEY=$(head -c 24 /dev/urandom | base64)
RISKMON_API_TOKEN=$(head -c 18 /dev/urandom | base64)
export RISKMON_PETITIONER_KEY RISKMON_API_TOKEN
mariadb -uroot -h127.0.0.1 -e 'DROP DATABASE IF EXISTS riskmon_events; CREATE DATABASE riskmon_events'
"$bin" seed --cases 1 --db "$dsn" >/dev/null
"$bin" serve --listen 127.0.0.1:9734 --db "$dsn" >/dev/null 2>&1 &
server=$!
trap 'kill $server; wait $server 2>/dev/null || true' EXIT
until curl -sf http://127.0.0.1:9734/readyz >/dev/null; do
	kill -0 $server # stop if the server died
	sleep 0.2
done
export TOKEN=$RISKMON_API_TOKEN COUNTS=$dir/counts
wrk -t2 -c20 -d15s -s bench/events_cases.lua http://127.0.0.1:9734 >/dev/null
wrk -t2 -c20 -d"${secs}s" --latency -s bench/add_events.lua http://127.0.0.1:9734
