#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when missing:
# a Java runtime for the HermiT reasoner, chromium for the browser tests and
# OpenLink Virtuoso 7 (a second SPARQL server for the remote backend's tests).
# Without root or apt-get it only reports; those tests then skip (outside CI).
set -u
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ -x /usr/bin/chromium ] || need+=(chromium)
{ command -v virtuoso-t && command -v isql-vt; } >/dev/null 2>&1 || need+=(virtuoso-opensource)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${need[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || { echo "apt-get install ${need[*]} failed" >&2; exit 1; }
else
  echo "Not installed: ${need[*]} (needs root and apt-get); the tests that need them will skip." >&2
fi
