package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"riskmon/smsrelay"
)

// smsRelay serves Alertmanager's webhook and posts each alert's text to the
// SMS gateway until ctx ends.
func smsRelay(ctx context.Context, args []string, logger *slog.Logger) error {
	fs := flag.NewFlagSet("sms-relay", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:9096", "address Alertmanager's webhook_configs post to")
	gateway := fs.String("gateway", "", "the SMS gateway's URL: each alert is POSTed as JSON {\"to\", \"text\"}")
	tmpl := fs.String("template", "/usr/share/riskmon/alerts/wechat.tmpl", "the template file Alertmanager loads (it defines riskmon.alert.text)")
	zone := fs.String("zone", "Local", "time zone of the texts' times, as Alertmanager's TZ")
	timeout := fs.Duration("timeout", 10*time.Second, "time allowed for the gateway to answer one text")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("sms-relay: unexpected argument %q", fs.Arg(0))
	}
	loc, err := time.LoadLocation(*zone)
	if err != nil {
		return fmt.Errorf("sms-relay: --zone: %w", err)
	}
	t, err := smsrelay.Parse(*tmpl)
	if err != nil {
		return err
	}
	r := &smsrelay.Relay{Gateway: *gateway, Text: t, Zone: loc, Client: &http.Client{Timeout: *timeout}, Log: logger}
	if err := r.Check(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("sms-relay: %w", err)
	}
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	logger.Info("sms relay listening", "addr", ln.Addr().String(), "gateway", *gateway)
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("sms-relay: %w", err)
	}
	return nil
}
