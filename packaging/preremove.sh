#!/bin/sh
# riskmon prerm: stop the service before its files go.
set -e
if [ -d /run/systemd/system ]; then
	systemctl stop riskmon.service >/dev/null 2>&1 || true
	if [ "$1" = remove ]; then
		systemctl disable riskmon.service >/dev/null 2>&1 || true
	fi
fi
