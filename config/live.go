package config

import "sync/atomic"

// Live holds the configuration in force: every room that must see a reload
// (the API, the collector, the demo's simulator, the screen) reads it here,
// and the reload on SIGHUP stores the next one here, once.
type Live struct {
	p        atomic.Pointer[Config]
	onChange []func(*Config)
}

// NewLive holds cfg.
func NewLive(cfg *Config) *Live {
	l := &Live{}
	l.p.Store(cfg)
	return l
}

// Load returns the configuration in force.
func (l *Live) Load() *Config { return l.p.Load() }

// OnChange calls fn with every configuration stored after it, for what a
// reload must redo beyond reading the new values (a cache to drop, deadlines
// to recompute). It is not safe to call while Store runs: register at start.
func (l *Live) OnChange(fn func(*Config)) { l.onChange = append(l.onChange, fn) }

// Store puts next in force and tells those registered with OnChange.
func (l *Live) Store(next *Config) {
	l.p.Store(next)
	for _, fn := range l.onChange {
		fn(next)
	}
}
