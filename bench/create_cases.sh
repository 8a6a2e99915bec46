#!/bin/bash
# The API create benchmark on a new MariaDB database (the cases of an earlier
# run slow the next): build riskmon, create riskmon_api with the demo units,
# serve it and run wrk with create_cases.lua.
#   bench/create_cases.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
bin=$(mktemp -d)/riskmon
go build -o "$bin" ./cmd/riskmon
dsn='mysql:root@tcp(127.0.0.1:3306)/riskmon_api'
# a key and a token of this run's own: published ones are refused outside --demo
RISKMON_PETITIONER_KEY=$(head -c 24 /dev/urandom | base64)
RISKMON_API_TOKEN=$(head -c 18 /dev/urandom | base64)
export RISKMON_PETITIONER_KEY RISKMON_API_TOKEN
mariadb -uroot -h127.0.0.1 -e 'DROP DATABASE IF EXISTS riskmon_api; CREATE DATABASE riskmon_api'
"$bin" seed --cases 1 --db "$dsn" >/dev/null
"$bin" serve --listen 127.0.0.1:9733 --db "$dsn" >/dev/null 2>&1 &
server=$!
trap 'kill $server; wait $server 2>/dev/null || true' EXIT
until curl -sf http://127.0.0.1:9733/readyz >/dev/null; do
	kill -0 $server # stop if the server died
	sleep 0.2
done
TOKEN=$RISKMON_API_TOKEN wrk -t2 -c20 -d"${secs}s" --latency -s bench/create_cases.lua http://127.0.0.1:9733
