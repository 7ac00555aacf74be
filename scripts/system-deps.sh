#!/usr/bin/env bash
# Installs the Debian packages the browser tests need (Chromium; Caddy for the proxy tests;
# systemd's systemd-socket-activate for the socket-activation test; jemalloc, which the dashboard
# runs on when it is there), once.
# Playwright never downloads a browser here: it drives Debian's /usr/bin/chromium.
set -euo pipefail
missing=()
command -v chromium > /dev/null || missing+=(chromium)
command -v caddy > /dev/null || missing+=(caddy)
command -v systemd-socket-activate > /dev/null || missing+=(systemd)
# jemalloc for the dashboard's memory (bin/hydramem.cjs preloads it when present).
compgen -G '/usr/lib/*/libjemalloc.so.2' > /dev/null || missing+=(libjemalloc2)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: please install ${missing[*]} (sudo apt-get install -y ${missing[*]})" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]} from Debian"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" > /dev/null
