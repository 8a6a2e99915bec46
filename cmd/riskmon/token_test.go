package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"riskmon/access"
)

// token new prints the token alone on the first line and the credentials
// file's line after it; the line holds the hash, which finds the token.
func TestTokenNew(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"token", "new", "--name", "zhen-a-clerk", "--unit", "zhen-a", "--role", "reporter"}, &out, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("output %q: want the token and one line", out.String())
	}
	tok, line := lines[0], lines[1]
	if strings.Contains(line, tok) {
		t.Error("the file's line holds the token")
	}
	set, err := access.ParseFile([]byte("credentials:\n" + line + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := set.Find(tok); !ok || c.Name != "zhen-a-clerk" || c.Role != access.RoleReporter || strings.Join(c.Units, ",") != "zhen-a" {
		t.Errorf("the line %q does not find the token as zhen-a-clerk, reporter of zhen-a: %+v %v", line, c, ok)
	}
	for _, bad := range [][]string{
		{"token", "new", "--name", "zhen-a-clerk", "--role", "reporter"},        // no unit
		{"token", "new", "--name", "张三", "--role", "reader"},                    // a person
		{"token", "new", "--name", "x", "--role", "admin"},                      // no such role
		{"token", "new", "--name", "x", "--role", "bureau", "--unit", "zhen-a"}, // bureau reaches all
		{"token", "old"},
	} {
		out.Reset()
		if err := run(context.Background(), bad, &out, slog.New(slog.DiscardHandler)); err == nil || out.Len() > 0 {
			t.Errorf("%v: err %v, output %q; want an error and nothing printed", bad, err, out.String())
		}
	}
}
