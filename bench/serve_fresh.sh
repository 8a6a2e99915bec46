# Sourced by the API benchmarks: serve_fresh DB PORT builds riskmon, creates
# the MariaDB database DB anew with the demo units (the cases of an earlier
# run slow the next), serves it on 127.0.0.1:PORT until the calling script
# exits, and returns once it is ready. It exports TOKEN, the run's own
# read-write token: published keys and tokens are refused outside --demo.
# SEED_CASES seeds that many demo cases first (1 unless set): the issue's
# creates and events at 1M are SEED_CASES=1000000. The seed records the
# rules its deadlines were computed with, so the start reads no open case
# again and the benchmark measures the writes from its first second.
serve_fresh() {
	local db=$1 port=$2
	bin=$(mktemp -d)/riskmon
	go build -o "$bin" ./cmd/riskmon
	local dsn="mysql:root@tcp(127.0.0.1:3306)/$db"
	RISKMON_PETITIONER_KEY=$(head -c 24 /dev/urandom | base64)
	RISKMON_API_TOKEN=$(head -c 18 /dev/urandom | base64)
	export RISKMON_PETITIONER_KEY RISKMON_API_TOKEN TOKEN=$RISKMON_API_TOKEN
	mariadb -uroot -h127.0.0.1 -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db"
	"$bin" seed --cases "${SEED_CASES:-1}" --db "$dsn" >/dev/null 2>&1
	"$bin" serve --listen "127.0.0.1:$port" --db "$dsn" >/dev/null 2>"$bin.log" &
	server=$!
	trap 'kill $server; wait $server 2>/dev/null || true' EXIT
	until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
		kill -0 $server # stop if the server died
		sleep 0.2
	done
}
