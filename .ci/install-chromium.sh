#!/usr/bin/env bash
# Installs Debian's chromium (the browser the page test drives headless) when it is missing.
# Idempotent: does nothing when chromium is already on PATH. Nothing is downloaded but the Debian
# package: the test drives it over the DevTools protocol, with no browser build fetched by a tool.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null

command -v chromium >/dev/null
chromium --version 2>/dev/null | head -n 1
