#!/usr/bin/env bash
# Print the path of a usable `uv` on stdout, installing it first if needed.
# All diagnostics go to stderr so callers can do: uv="$(scripts/ensure-uv.sh)".
#
# Order: `uv` on PATH, then ~/.local/bin/uv (or the interpreter's user-base bin),
# else `python3 -m pip install --user uv`. Debian's own python3 is "externally managed"
# (PEP 668) and may lack pip; both cases are handled.
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }

find_uv() {
    if command -v uv >/dev/null 2>&1; then command -v uv; return 0; fi
    local candidate
    for candidate in "${HOME:-/root}/.local/bin/uv" \
                     "$(python3 -m site --user-base 2>/dev/null || true)/bin/uv"; do
        if [ -x "$candidate" ]; then printf '%s\n' "$candidate"; return 0; fi
    done
    return 1
}

if find_uv; then exit 0; fi

command -v python3 >/dev/null 2>&1 || { log "ensure-uv: python3 not found"; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else log "ensure-uv: need root (or sudo) for: $*"; return 1
    fi
}

if ! python3 -m pip --version >/dev/null 2>&1; then
    log "ensure-uv: python3 has no pip; trying ensurepip, then apt-get install python3-pip"
    python3 -m ensurepip --user >&2 2>&1 \
        || { as_root apt-get update >&2 \
             && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pip >&2; }
fi

log "ensure-uv: installing uv with: python3 -m pip install --user uv"
if ! python3 -m pip install --user --disable-pip-version-check uv >&2; then
    # PEP 668 (Debian's python3): allowed for a --user install of a standalone tool.
    log "ensure-uv: retrying with --break-system-packages (PEP 668 interpreter)"
    python3 -m pip install --user --disable-pip-version-check --break-system-packages uv >&2
fi

# pyenv and friends: refresh shims so a later `command -v` sees nothing stale.
command -v pyenv >/dev/null 2>&1 && pyenv rehash >/dev/null 2>&1 || true

find_uv || { log "ensure-uv: uv was installed but cannot be found"; exit 1; }
