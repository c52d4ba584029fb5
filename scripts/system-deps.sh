#!/usr/bin/env bash
# Install the Debian packages Lotse needs, but only when something is missing.
#
#   scripts/system-deps.sh test   # everything the test suite needs (Chromium, PostgreSQL, clamd, ...)
#   scripts/system-deps.sh run    # what `make run` needs: WeasyPrint libraries, fonts, gettext
#
# Runs `apt-get update` at most once and installs with DEBIAN_FRONTEND=noninteractive.
# Uses sudo only when not root and sudo exists. LOTSE_SKIP_SYSTEM_DEPS=1 skips all of this.
set -euo pipefail

mode="${1:-test}"
[ "${LOTSE_SKIP_SYSTEM_DEPS:-0}" = "1" ] && { echo "system-deps: skipped (LOTSE_SKIP_SYSTEM_DEPS=1)"; exit 0; }

missing=()

have_pkg() {
    # Debian package installed? (falls back to "yes" when dpkg is absent: checked by files instead)
    command -v dpkg-query >/dev/null 2>&1 || return 0
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}
need_pkg()  { have_pkg "$1" || missing+=("$1"); }
need_file() { [ -e "$1" ] || missing+=("$2"); }
need_cmd()  { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }

# Needed by both `run` and `test`: WeasyPrint (consent PDFs), fonts for RTL scripts, msgfmt.
need_pkg libpango-1.0-0
need_pkg libpangoft2-1.0-0
need_pkg libharfbuzz-subset0
need_file /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf fonts-noto-core
need_cmd msgfmt gettext

case "$mode" in
    run) ;;
    test)
        need_file /usr/bin/chromium chromium
        need_cmd pdftotext poppler-utils
        # ClamAV's daemon for web/tests/test_virus_scan_clamd.py (Debian puts it in /usr/sbin,
        # which an ordinary user's PATH lacks: checked by file, like Chromium).
        need_file /usr/sbin/clamd clamav-daemon
        # PostgreSQL server binaries (scripts/pg-test-server.sh uses /usr/lib/postgresql/*/bin).
        pg_ok=no
        for bin in /usr/lib/postgresql/*/bin; do
            [ -x "$bin/pg_ctl" ] && [ -x "$bin/initdb" ] && [ -x "$bin/postgres" ] && pg_ok=yes
        done
        [ "$pg_ok" = yes ] || missing+=(postgresql)
        ;;
    *) echo "usage: $0 {test|run}" >&2; exit 2 ;;
esac

if [ "${#missing[@]}" -eq 0 ]; then
    echo "system-deps ($mode): all present"
    exit 0
fi

# Install the whole set for the mode (cheap when most are present, and keeps versions coherent).
if [ "$mode" = test ]; then
    pkgs=(chromium fonts-noto-core poppler-utils postgresql clamav-daemon libpango-1.0-0
          libpangoft2-1.0-0 libharfbuzz-subset0 gettext)
else
    pkgs=(fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext)
fi
echo "system-deps ($mode): missing ${missing[*]}; installing: ${pkgs[*]}"

if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: apt-get not available; install the equivalents of: ${missing[*]}" >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "system-deps: not root and no sudo; ask an admin to run:" >&2
    echo "  apt-get install -y ${pkgs[*]}" >&2
    exit 1
fi

# Installing starts no services: clamav-daemon's postinst fails the install when its daemon
# cannot start (no signatures yet, no network for freshclam), and the tests start their own
# PostgreSQL and clamd. Container images usually have a policy-rc.d saying "not now"; where
# there is none, one is put in place for the install and removed after it.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# lotse system-deps: no service starts during the install\nexit 101\n' \
        | "${as_root[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${as_root[@]}" chmod 755 /usr/sbin/policy-rc.d
    trap '"${as_root[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
fi
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${pkgs[@]}" </dev/null
