#!/bin/sh
# deb.sh — the package as an administrator meets it, without systemd as
# PID 1: build the .deb (make deb), install it with dpkg -i, check what it
# put where, verify the installed unit (unit.sh), run /usr/bin/itsm as the
# itsm user against /var/lib/itsm the way the unit does (its ExecStart, on a
# free loopback port), serve requests, stop it with SIGTERM (exit 0, audit
# verify ok), then dpkg --purge and check nothing is left but the system
# user, which Debian keeps (docs/packaging.md). Needs root; leaves the
# machine as it found it, also on failure.
set -eu
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "deb.sh: needs root (dpkg -i, runuser)"; exit 1; }
tmp=$(mktemp -d)
server=""
fail() { echo "deb.sh: $*"; exit 1; }
cleanup() {
	[ -n "$server" ] && kill -9 "$server" 2>/dev/null || true
	dpkg-query -W itsm >/dev/null 2>&1 && dpkg_retry --purge itsm >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
# dpkg waits for nobody: another apt run may hold its lock for a while.
dpkg_retry() {
	n=0
	until dpkg "$@" 2>"$tmp/dpkg.err"; do
		grep -q 'lock' "$tmp/dpkg.err" && [ $n -lt 60 ] || { cat "$tmp/dpkg.err"; return 1; }
		n=$((n + 1))
		sleep 5
	done
}

if dpkg-query -W -f='${Status}' itsm 2>/dev/null | grep -q 'installed'; then
	fail "itsm is already installed here; purge it first (dpkg --purge itsm)"
fi
# a plain build, whatever make (BUILD=build/san SAN=1 …) runs this script
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD -u SAN -u OPT make -s deb >"$tmp/build.log" 2>&1 || { tail -40 "$tmp/build.log"; fail "make deb failed"; }
deb=$(ls build/deb/itsm_*.deb)
version=$(sed -n 's/^ITSM_VERSION *:= *//p' Makefile)
case "$deb" in *"itsm_${version}-"*) ;; *) fail "$deb is not version $version (debian/changelog)";; esac
dpkg_retry -i "$deb" >/dev/null

# what it installed, and where
[ -x /usr/bin/itsm ] || fail "no /usr/bin/itsm"
[ -x /usr/bin/itsm-mailgate ] || fail "no /usr/bin/itsm-mailgate"
/usr/bin/itsm-mailgate --help 2>&1 | grep -q -- '--token-file' || fail "itsm-mailgate --help names no --token-file"
dpkg-query -W -f='${Conffiles}\n' itsm | grep -q '^ /etc/itsm/itsm.conf ' ||
	fail "/etc/itsm/itsm.conf is not a conffile"
grep -q '^path = /var/lib/itsm/itsm.db$' /etc/itsm/itsm.conf || fail "itsm.conf names no store in /var/lib/itsm"
uid=$(getent passwd itsm | cut -d: -f3) || fail "no user itsm"
[ "$uid" -lt 1000 ] || fail "itsm is not a system user (uid $uid)"
[ "$(stat -c %U:%G:%a /var/lib/itsm)" = itsm:itsm:750 ] || fail "/var/lib/itsm: $(stat -c %U:%G:%a /var/lib/itsm)"
[ -f /lib/systemd/system/itsm.service ] || fail "no /lib/systemd/system/itsm.service"
ls /usr/share/doc/itsm/README.md* /usr/share/doc/itsm/docs/operations.md* >/dev/null ||
	fail "no docs in /usr/share/doc/itsm"
/usr/bin/itsm --version | head -1
sh tests/pkg/unit.sh /lib/systemd/system/itsm.service

# run it as the unit does: its ExecStart, as itsm, from /var/lib/itsm
exec_start=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/itsm.service)
[ "$exec_start" = "/usr/bin/itsm --config /etc/itsm/itsm.conf serve" ] || fail "ExecStart is '$exec_start'"
(cd /var/lib/itsm && exec runuser -u itsm -- $exec_start --listen 127.0.0.1:0) \
	>"$tmp/out" 2>"$tmp/err" &
runner=$!
i=0
until url=$(grep -o 'listening on http://[0-9.:]*' "$tmp/out" | sed 's/listening on //') && [ -n "$url" ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || { cat "$tmp/out" "$tmp/err"; fail "the server did not start"; }
	kill -0 $runner 2>/dev/null || { cat "$tmp/out" "$tmp/err"; fail "the server exited"; }
	sleep 0.1
done
server=$(ps -o pid= --ppid "$runner" | tr -d ' ')
[ "$(ps -o user= -p "$server")" = itsm ] || fail "the server runs as $(ps -o user= -p "$server")"
[ -f /var/lib/itsm/itsm.db ] || fail "no store in /var/lib/itsm"
[ "$(stat -c %U /var/lib/itsm/itsm.db)" = itsm ] || fail "the store is not itsm's"
curl -fsS "$url/healthz" | grep -q '"status":"ok"' || fail "GET /healthz"
token=$(runuser -u itsm -- /usr/bin/itsm --config /etc/itsm/itsm.conf token create pkgtest --user admin)
code=$(curl -s -o "$tmp/tickets" -w '%{http_code}' -H "Authorization: Bearer $token" \
	-H 'Content-Type: application/json' -d '{"kind":"inquiry","title":"from the package test","impact":3,"urgency":3}' \
	"$url/api/v1/tickets")
[ "$code" = 201 ] || { cat "$tmp/tickets"; fail "POST /api/v1/tickets answered $code"; }
echo "deb.sh: served $url as $(ps -o user= -p "$server") from /var/lib/itsm"

kill -TERM "$server"
rc=0
wait "$runner" || rc=$?
server=""
[ $rc -eq 0 ] || { cat "$tmp/err"; fail "the server exited $rc after SIGTERM"; }
runuser -u itsm -- /usr/bin/itsm --config /etc/itsm/itsm.conf audit verify >/dev/null ||
	fail "audit verify failed after the stop"
runuser -u itsm -- /usr/bin/itsm --config /etc/itsm/itsm.conf version | grep -q '^store /var/lib/itsm/itsm.db: schema [0-9]* (current)$' ||
	fail "itsm version does not find the store through /etc/itsm/itsm.conf"
echo "deb.sh: SIGTERM: exit 0, audit verify ok"

# purge: nothing left but the system user (kept, as Debian does)
dpkg_retry --purge itsm >/dev/null
for f in /usr/bin/itsm /usr/bin/itsm-mailgate /etc/itsm /var/lib/itsm /lib/systemd/system/itsm.service /usr/share/doc/itsm \
	/etc/systemd/system/multi-user.target.wants/itsm.service \
	/var/lib/systemd/deb-systemd-helper-enabled/itsm.service; do
	[ ! -e "$f" ] || fail "$f is left after the purge"
done
! dpkg-query -W itsm >/dev/null 2>&1 || dpkg-query -W -f='${Status}\n' itsm | grep -q 'not-installed' ||
	fail "dpkg still knows itsm: $(dpkg-query -W -f='${Status}' itsm)"
getent passwd itsm >/dev/null || fail "the system user itsm is gone (Debian keeps it)"
echo "deb.sh: purged: no file left; the system user itsm is kept (Debian's convention)"
