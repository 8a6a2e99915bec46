package systemtest

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // the nodes are asked how the cluster stands
)

// GaleraNode is one mariadbd of a test's Galera cluster, on loopback.
type GaleraNode struct {
	Name string
	Addr string // host:port of its SQL port
	cmd  *exec.Cmd
}

// Kill ends the node at once (SIGKILL), as a crashed server would.
func (n *GaleraNode) Kill() { n.cmd.Process.Kill() }

// DSN is the node's go-sql-driver DSN for database db, as root.
func (n *GaleraNode) DSN(db string) string { return "root@tcp(" + n.Addr + ")/" + db }

const galeraProvider = "/usr/lib/galera/libgalera_smm.so"

// StartGalera runs a Galera cluster of n MariaDB nodes (Debian's
// mariadb-server and galera-4), each on loopback ports of its own with its
// own data directory: the first bootstraps the cluster, the others join it by
// rsync SST. It returns once every node is synced and the cluster has n
// members. root may log in over TCP without a password, as on the test
// machine's own server.
func StartGalera(t testing.TB, n int) []*GaleraNode {
	t.Helper()
	mariadbd := Need(t, "mariadbd", "mariadb-server")
	installDB := Need(t, "mariadb-install-db", "mariadb-server")
	Need(t, "rsync", "rsync")
	if _, err := os.Stat(galeraProvider); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI (Debian's galera-4 package)", galeraProvider)
		}
		t.Skip("galera-4 not installed")
	}
	dir, err := os.MkdirTemp("", "riskmon-galera-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	asRoot := os.Geteuid() == 0
	nodes := make([]*GaleraNode, n)
	group := make([]string, n)
	type ports struct{ sql, gcomm, ist, sst string }
	ps := make([]ports, n)
	for i := range nodes {
		ps[i] = ports{FreeAddr(t), FreeAddr(t), FreeAddr(t), FreeAddr(t)}
		group[i] = ps[i].gcomm
		nodes[i] = &GaleraNode{Name: fmt.Sprintf("n%d", i+1), Addr: ps[i].sql}
	}
	for _, node := range nodes {
		if err := os.MkdirAll(filepath.Join(dir, node.Name), 0o750); err != nil {
			t.Fatal(err)
		}
	}
	if asRoot { // mariadbd runs as mysql, and rsync SST writes as it too
		if out, err := exec.Command("chown", "-R", "mysql:mysql", dir).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v\n%s", err, out)
		}
	}
	for i, node := range nodes {
		data := filepath.Join(dir, node.Name)
		args := []string{"--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal"}
		if asRoot {
			args = append(args, "--user=mysql")
		}
		if out, err := exec.Command(installDB, args...).CombinedOutput(); err != nil {
			t.Fatalf("mariadb-install-db: %v\n%s", err, out)
		}
		host, port, _ := strings.Cut(ps[i].sql, ":")
		args = []string{"--no-defaults", "--datadir=" + data, "--socket=" + filepath.Join(data, "mysqld.sock"),
			"--port=" + port, "--bind-address=" + host, "--pid-file=" + filepath.Join(data, "mysqld.pid"),
			"--binlog-format=ROW", "--default-storage-engine=InnoDB", "--innodb-autoinc-lock-mode=2",
			"--innodb-buffer-pool-size=64M", "--max-connections=300",
			"--wsrep-on=ON", "--wsrep-provider=" + galeraProvider, "--wsrep-cluster-name=riskmon-test",
			"--wsrep-cluster-address=gcomm://" + strings.Join(group, ","), "--wsrep-node-address=" + ps[i].gcomm,
			"--wsrep-node-name=" + node.Name,
			"--wsrep-provider-options=gmcast.listen_addr=tcp://" + ps[i].gcomm + ";ist.recv_addr=" + ps[i].ist + ";gcache.size=64M",
			"--wsrep-sst-method=rsync", "--wsrep-sst-receive-address=" + ps[i].sst}
		if asRoot {
			args = append(args, "--user=mysql")
		}
		if i == 0 {
			args = append(args, "--wsrep-new-cluster")
		}
		node.cmd = Start(t, mariadbd, args, nil)
		if i == 0 { // the others join a running cluster
			waitSynced(t, node, 1)
		}
	}
	for _, node := range nodes {
		waitSynced(t, node, n)
	}
	return nodes
}

// waitSynced waits until node is synced in a cluster of size members.
func waitSynced(t testing.TB, node *GaleraNode, size int) {
	t.Helper()
	db, err := sql.Open("mysql", node.DSN(""))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	Eventually(t, 2*time.Minute, "galera node "+node.Name+" synced", func() (bool, string) {
		var name, state, members string
		if err := db.QueryRow("SHOW STATUS LIKE 'wsrep_local_state_comment'").Scan(&name, &state); err != nil {
			return false, err.Error()
		}
		if err := db.QueryRow("SHOW STATUS LIKE 'wsrep_cluster_size'").Scan(&name, &members); err != nil {
			return false, err.Error()
		}
		return state == "Synced" && members == fmt.Sprint(size), state + ", " + members + " members"
	})
}

// StartHAProxy runs Debian's haproxy in front of the nodes, in TCP mode:
// every connection goes to the first node while its port answers, then to the
// next (the others are backups), the usual single-writer set-up for Galera.
// A node that stops answering is marked down within a second and its
// connections are cut, so clients reconnect to the next. It returns the
// address clients connect to.
func StartHAProxy(t testing.TB, nodes []*GaleraNode) string {
	t.Helper()
	bin := Need(t, "haproxy", "haproxy")
	addr := FreeAddr(t)
	var servers []string
	for i, n := range nodes {
		backup := ""
		if i > 0 {
			backup = " backup"
		}
		servers = append(servers, fmt.Sprintf("  server %s %s check inter 300ms fall 2 rise 3 on-marked-down shutdown-sessions%s", n.Name, n.Addr, backup))
	}
	cfg := fmt.Sprintf(`global
  maxconn 1024
defaults
  mode tcp
  timeout connect 1s
  timeout client 120s
  timeout server 120s
frontend galera
  bind %s
  default_backend nodes
backend nodes
%s
`, addr, strings.Join(servers, "\n"))
	path := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	Start(t, bin, []string{"-db", "-f", path}, nil)
	Eventually(t, 30*time.Second, "haproxy listening", func() (bool, string) {
		db, err := sql.Open("mysql", "root@tcp("+addr+")/")
		if err != nil {
			return false, err.Error()
		}
		defer db.Close()
		if err := db.Ping(); err != nil {
			return false, err.Error()
		}
		return true, ""
	})
	return addr
}
