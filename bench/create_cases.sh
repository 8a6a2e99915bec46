#!/bin/bash
# The API create benchmark on a new MariaDB database riskmon_api with the
# demo units (serve_fresh.sh): wrk with create_cases.lua.
#   bench/create_cases.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
. bench/serve_fresh.sh
serve_fresh riskmon_api 9733
wrk_cpu -t2 -c20 -d"${secs}s" --latency -s bench/create_cases.lua http://127.0.0.1:9733
