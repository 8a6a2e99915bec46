package config

import "testing"

func TestLiveStoreTellsEveryListener(t *testing.T) {
	first, next := &Config{MaxUnits: 1}, &Config{MaxUnits: 2}
	l := NewLive(first)
	if got := l.Load(); got != first {
		t.Fatalf("Load() = %p, want the first configuration %p", got, first)
	}
	var told []*Config
	l.OnChange(func(c *Config) { told = append(told, c) })
	l.OnChange(func(c *Config) { told = append(told, c) })
	l.Store(next)
	if got := l.Load(); got != next {
		t.Errorf("after Store, Load() = %p, want %p", got, next)
	}
	if len(told) != 2 || told[0] != next || told[1] != next {
		t.Errorf("listeners were told %v, want the next configuration twice", told)
	}
}
