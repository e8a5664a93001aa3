#!/usr/bin/env bash
# Installs Debian's prometheus package (prometheus + promtool) when promtool is missing.
# Idempotent: does nothing when promtool is already on PATH. The package's service is never left
# running: a policy-rc.d that forbids service starts is put in place for the install (and removed
# again if this script created it), and any prometheus service the package started is stopped.
# Tests start their own Prometheus on a free port.
set -euo pipefail

if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

POLICY=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod 755 "$POLICY"
    created_policy=1
fi
cleanup() {
    if [ "$created_policy" = 1 ]; then
        $SUDO rm -f "$POLICY"
    fi
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null

# If an init system started the packaged service anyway, stop it and keep it from coming back.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
elif command -v service >/dev/null 2>&1; then
    $SUDO service prometheus stop >/dev/null 2>&1 || true
fi

command -v promtool >/dev/null
command -v prometheus >/dev/null
promtool --version | head -n 1
