#!/bin/sh
# riskmon postinst: the service user, the configuration readable by its
# group only, the unit known to systemd (not started: the key file must be
# written first, see /usr/share/doc/riskmon/operations.md).
set -e
if [ "$1" = configure ] || [ "$1" = 1 ] || [ -z "$1" ]; then
	systemd-sysusers /usr/lib/sysusers.d/riskmon.conf
	if ! dpkg-statoverride --list /etc/riskmon >/dev/null 2>&1; then
		dpkg-statoverride --update --add root riskmon 0750 /etc/riskmon
	fi
	if ! dpkg-statoverride --list /etc/riskmon/riskmon.yml >/dev/null 2>&1; then
		dpkg-statoverride --update --add root riskmon 0640 /etc/riskmon/riskmon.yml
	fi
	if [ -d /run/systemd/system ]; then
		systemctl daemon-reload >/dev/null || true
		systemctl enable riskmon.service >/dev/null || true
	fi
fi
