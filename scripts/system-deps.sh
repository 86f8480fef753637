#!/usr/bin/env bash
# Install the Debian packages sdgraph and its test suite need, when missing:
# a Java runtime for the HermiT reasoner, chromium for the browser tests, OpenLink
# Virtuoso 7 (a second SPARQL server for the remote backend's tests), Pango and cairo
# with a font for the foto dossier (WeasyPrint's PDF, CairoSVG's charts in Word) and
# poppler-utils (pdftoppm, pdftotext) for the tests that read the PDF back.
# Without root or apt-get it only reports; those tests then skip (outside CI).
set -u
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ -x /usr/bin/chromium ] || need+=(chromium)
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libcairo2 fonts-dejavu-core poppler-utils; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
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
