#!/bin/sh
# riskmon postrm: purge removes the configuration's permissions and the
# state directory (the SQLite database: back it up first); the user stays,
# as Debian leaves system users, so that files it owned keep an owner.
set -e
if [ "$1" = purge ]; then
	dpkg-statoverride --remove /etc/riskmon/riskmon.yml >/dev/null 2>&1 || true
	dpkg-statoverride --remove /etc/riskmon >/dev/null 2>&1 || true
	rm -rf /var/lib/riskmon
fi
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null || true
fi
