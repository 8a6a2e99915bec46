// Package packaging holds riskmon's Debian package: the nfpm configuration,
// the systemd unit, the shipped configuration and the maintainer scripts;
// scripts/package builds it. This test builds it, reads it, installs and
// purges it.
package packaging_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"riskmon/systemtest"
)

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// the package's files and their modes, as dpkg-deb -c lists them
var wantFiles = map[string]string{
	"./usr/bin/riskmon":                                                "-rwxr-xr-x",
	"./usr/lib/systemd/system/riskmon.service":                         "-rw-r--r--",
	"./usr/lib/systemd/system/riskmon-sms-relay.service":               "-rw-r--r--",
	"./usr/lib/sysusers.d/riskmon.conf":                                "-rw-r--r--",
	"./etc/riskmon/":                                                   "drwxr-x---",
	"./etc/riskmon/riskmon.yml":                                        "-rw-r-----",
	"./usr/share/riskmon/alerts/rules.yml":                             "-rw-r--r--",
	"./usr/share/riskmon/alerts/alertmanager.yml":                      "-rw-r--r--",
	"./usr/share/riskmon/alerts/wechat.tmpl":                           "-rw-r--r--",
	"./usr/share/riskmon/alerts/RUNBOOK.md":                            "-rw-r--r--",
	"./usr/share/riskmon/dashboards/riskmon-command-center.json":       "-rw-r--r--",
	"./usr/share/riskmon/dashboards/riskmon-command-center-en.json":    "-rw-r--r--",
	"./usr/share/riskmon/grafana-provisioning/dashboards/riskmon.yml":  "-rw-r--r--",
	"./usr/share/riskmon/grafana-provisioning/datasources/riskmon.yml": "-rw-r--r--",
	"./usr/share/doc/riskmon/README.md":                                "-rw-r--r--",
	"./usr/share/doc/riskmon/configuration.md":                         "-rw-r--r--",
}

func TestDebianPackage(t *testing.T) {
	systemtest.Need(t, "dpkg-deb", "dpkg")
	analyze := systemtest.Need(t, "systemd-analyze", "systemd")
	dir := t.TempDir()
	out := run(t, "../scripts/package", dir)
	deb := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	if filepath.Dir(deb) != dir || !strings.HasSuffix(deb, ".deb") {
		t.Fatalf("scripts/package made %q", out)
	}

	fields := map[string]string{}
	for _, f := range []string{"Package", "Version", "Architecture", "Depends", "Section"} {
		fields[f] = strings.TrimSpace(run(t, "dpkg-deb", "-f", deb, f))
	}
	if fields["Package"] != "riskmon" || fields["Architecture"] != runtime.GOARCH || fields["Depends"] != "systemd" ||
		!regexp.MustCompile(`^0\.0\.0\+git\d{14}\.[0-9a-f]{12}$`).MatchString(fields["Version"]) {
		t.Errorf("control fields %v", fields)
	}
	if got := run(t, "dpkg-deb", "--ctrl-tarfile", deb); !strings.Contains(got, "conffiles") {
		t.Error("no conffiles in the control archive")
	}
	if got := strings.TrimSpace(run(t, "sh", "-c", "dpkg-deb --ctrl-tarfile "+deb+" | tar -xO ./conffiles")); got != "/etc/riskmon/riskmon.yml" {
		t.Errorf("conffiles %q, want /etc/riskmon/riskmon.yml", got)
	}
	listed := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(run(t, "dpkg-deb", "-c", deb)), "\n") {
		f := strings.Fields(line)
		listed[f[len(f)-1]] = f[0]
	}
	for path, mode := range wantFiles {
		if listed[path] != mode {
			t.Errorf("%s: %q in the package, want %q", path, listed[path], mode)
		}
	}
	for path, mode := range listed {
		if strings.HasSuffix(path, "/") && !strings.HasPrefix(mode, "drwx") {
			t.Errorf("directory %s is %s: not searchable", path, mode)
		}
		// rules.yml.tmpl is the rules' source; wechat.tmpl is Alertmanager's
		// message template, which the example configuration loads
		if strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".yml.tmpl") {
			t.Errorf("%s is source, not for the package", path)
		}
	}

	// The units' exposure, as systemd rates it (0 safest, 10 exposed).
	for _, unit := range []string{"riskmon.service", "riskmon-sms-relay.service"} {
		sec := run(t, analyze, "security", "--offline=true", "--threshold=100", unit)
		m := regexp.MustCompile(`Overall exposure level for ` + regexp.QuoteMeta(unit) + `: ([0-9.]+)`).FindStringSubmatch(sec)
		if m == nil {
			t.Fatalf("no exposure level in:\n%s", sec)
		}
		if level, _ := strconv.ParseFloat(m[1], 64); level > 2.0 {
			t.Errorf("%s: exposure %.1f, want at most 2.0:\n%s", unit, level, sec)
		}
	}

	installAndPurge(t, deb, fields["Version"], analyze)
}

// installAndPurge installs the package with dpkg, runs the installed binary,
// verifies the installed unit, and purges it again.
func installAndPurge(t *testing.T, deb, version, analyze string) {
	systemtest.Need(t, "dpkg", "dpkg")
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("installing the package needs root in CI")
		}
		t.Skip("installing the package needs root")
	}
	if exec.Command("dpkg", "-s", "riskmon").Run() == nil {
		t.Fatal("a riskmon package is installed already: this test would replace and purge it; remove it first")
	}
	t.Cleanup(func() { exec.Command("dpkg", "--purge", "riskmon").Run() })
	run(t, "dpkg", "-i", deb)
	if got := run(t, "/usr/bin/riskmon", "version"); !strings.HasPrefix(got, "riskmon "+version+" (revision ") {
		t.Errorf("riskmon version: %q, want version %s", got, version)
	}
	run(t, analyze, "verify", "/usr/lib/systemd/system/riskmon.service", "/usr/lib/systemd/system/riskmon-sms-relay.service")
	if got := strings.Fields(run(t, "stat", "-c", "%U %G %a", "/etc/riskmon/riskmon.yml", "/etc/riskmon")); !slices.Equal(got, []string{"root", "riskmon", "640", "root", "riskmon", "750"}) {
		t.Errorf("/etc/riskmon/riskmon.yml and /etc/riskmon: %v, want root:riskmon 640 and 750", got)
	}
	if out := run(t, "id", "-u", "riskmon"); strings.TrimSpace(out) == "0" {
		t.Error("the riskmon user is root")
	}
	run(t, "dpkg", "--purge", "riskmon")
	for _, path := range []string{"/usr/bin/riskmon", "/etc/riskmon", "/usr/lib/systemd/system/riskmon.service", "/usr/lib/systemd/system/riskmon-sms-relay.service", "/usr/share/riskmon"} {
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%s after purge: %v", path, err)
		}
	}
	if out, _ := exec.Command("dpkg-statoverride", "--list", "/etc/riskmon/riskmon.yml").Output(); len(out) > 0 {
		t.Errorf("a statoverride is left after purge: %s", out)
	}
}
