#!/bin/sh
# unit.sh [UNIT] — check the systemd unit statically (no systemd as PID 1
# needed): `systemd-analyze verify` (syntax, directives, the executables it
# names exist) and `systemd-analyze security --offline=yes`, whose overall
# exposure must be at most 2.0. UNIT defaults to the installed unit when
# there is one, else debian/itsm.service (verify then needs /usr/bin/itsm,
# so without it only the security score is checked, and said so).
set -eu
cd "$(dirname "$0")/../.."
unit=${1:-}
if [ -z "$unit" ]; then
	unit=debian/itsm.service
	[ -f /lib/systemd/system/itsm.service ] && unit=/lib/systemd/system/itsm.service
fi
if [ -x /usr/bin/itsm ]; then
	systemd-analyze verify --man=no "$unit"
	echo "unit.sh: systemd-analyze verify $unit: ok"
else
	echo "unit.sh: /usr/bin/itsm is not installed: verify skipped (tests/pkg/deb.sh runs it on the installed unit)"
fi
out=$(systemd-analyze security --offline=yes "$unit" 2>&1) || { echo "$out"; exit 1; }
line=$(printf '%s\n' "$out" | grep 'Overall exposure level')
score=$(printf '%s\n' "$line" | sed 's/.*: \([0-9.]*\) .*/\1/')
echo "unit.sh: $line"
awk -v s="$score" 'BEGIN { exit !(s != "" && s + 0 <= 2.0) }' || {
	printf '%s\n' "$out" | grep '✗'
	echo "unit.sh: exposure $score is over 2.0"
	exit 1
}
