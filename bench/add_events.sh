#!/bin/bash
# The API event benchmark on a new MariaDB database riskmon_events with the
# demo units (serve_fresh.sh): cases made for 15 s (events_cases.lua), then
# events added to them with wrk for SECONDS (add_events.lua): 20 clients, as
# at a county's busiest.
#   bench/add_events.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
. bench/serve_fresh.sh
serve_fresh riskmon_events 9734
COUNTS=$(mktemp)
export COUNTS
wrk -t2 -c20 -d15s -s bench/events_cases.lua http://127.0.0.1:9734 >/dev/null
wrk_cpu -t2 -c20 -d"${secs}s" --latency -s bench/add_events.lua http://127.0.0.1:9734
