#!/bin/sh
# Install the Debian packages that building, running and testing itsm need.
# Installs only what is missing, so a second run is quick and needs no network.
set -e
# Build and run: a C compiler, pkg-config and the libraries (libpq for the
# PostgreSQL driver). Tests: cmocka, the sqlite3 shell (tamper tests), node
# (API and browser tests), PostgreSQL (server and client: the API tests run
# against both engines, scripts/pg-test.sh), Debian's
# chromium (browser tests), the monitoring plugins (check tests), Dovecot
# (dovecot-imapd: the IMAP tests run a real server, tests/api/dovecot.mjs). Man pages:
# scdoc builds them, man-db renders them in their test.
PKGS="build-essential pkg-config libmicrohttpd-dev libsqlite3-dev sqlite3 libpq-dev libsodium-dev
libjansson-dev libcurl4-openssl-dev libinih-dev libgmime-3.0-dev libsystemd-dev libical-dev libcmark-dev libcmocka-dev tzdata ca-certificates
monitoring-plugins-basic scdoc man-db"
# ITSM_DEPS names what else is wanted: test (browser tests, the package
# test: debhelper, dpkg-dev, fakeroot, systemd-analyze; the bench smoke: wrk, nginx;
# the notification tests' SMTP sink: python3-aiosmtpd), deb (make deb),
# fuzz (clang's libFuzzer), bench (wrk and nginx for the comparison).
case "${ITSM_DEPS:-}" in
test) PKGS="$PKGS postgresql dovecot-imapd python3-aiosmtpd chromium fonts-ipafont-gothic debhelper dpkg-dev fakeroot systemd adduser python3 wrk nginx-light" ;;
deb) PKGS="$PKGS debhelper dpkg-dev fakeroot" ;;
fuzz) PKGS="$PKGS clang libclang-rt-14-dev" ;;
bench) PKGS="$PKGS wrk nginx-light" ;;
esac
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
