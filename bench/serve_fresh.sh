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

# cpu_ticks prints the CPU time, user and system in clock ticks, that riskmon
# and the database server have used so far, in that order.
cpu_ticks() {
	local db
	db=$(pidof mariadbd || pidof mysqld)
	awk '{print $14 + $15}' "/proc/$server/stat" "/proc/$db/stat"
}

# db_counters prints the database server's counters of the work it was
# asked to do, in this order: statements, transactions committed, row writes
# (an insert, or an upsert's attempt), row updates, rows read by key and
# rows read next in an index. They count what clients asked of the server
# (riskmon's refreshes during a run too: a few dozen statements against
# thousands of writes), not its background work nor the machine's load.
db_counters() {
	mariadb -uroot -h127.0.0.1 -N -e "SHOW GLOBAL STATUS WHERE Variable_name IN
		('Questions', 'Com_commit', 'Handler_write', 'Handler_update', 'Handler_read_key', 'Handler_read_next')" |
		awk '{v[$1] = $2} END {print v["Questions"], v["Com_commit"], v["Handler_write"], v["Handler_update"],
			v["Handler_read_key"], v["Handler_read_next"]}'
}

# wrk_cpu runs wrk with its arguments and then prints the CPU that riskmon
# and the database server used for each request it made: it leaves out the
# time wrk and the machine's neighbours take, and splits what is left between
# the two, though on a shared machine it still varies (one code measured
# 0.59-0.98 ms a create in one session: docs/performance.md). So it also
# prints the database's work a request from the server's own counters
# (db_counters), which the machine's load does not change: two versions of
# the code compare by it in a single run each.
wrk_cpu() {
	local before after dbbefore dbafter out
	before=$(cpu_ticks)
	dbbefore=$(db_counters)
	out=$(wrk "$@")
	after=$(cpu_ticks)
	dbafter=$(db_counters)
	echo "$out"
	echo "$out" | awk -v before="$before" -v after="$after" -v dbbefore="$dbbefore" -v dbafter="$dbafter" \
		-v hz="$(getconf CLK_TCK)" '
		/requests in/ {
			split(before, b); split(after, a)
			ms = 1000 / hz / $1
			printf "cpu: %.3f ms a request: riskmon %.3f, the database %.3f (%d requests)\n",
				(a[1] - b[1] + a[2] - b[2]) * ms, (a[1] - b[1]) * ms, (a[2] - b[2]) * ms, $1
			split(dbbefore, db); split(dbafter, da)
			for (i = 1; i <= 6; i++) w[i] = (da[i] - db[i]) / $1
			printf "database work a request: %.2f statements, %.3f commits, rows %.2f written, %.2f updated, %.2f read by key, %.2f read next\n",
				w[1], w[2], w[3], w[4], w[5], w[6]
		}'
}
