#!/usr/bin/env bash
# Installs what the tests need from Debian's packages: Chromium and its driver, docker-compose
# to validate docker-compose.yml, Pango and the DejaVu fonts for the PDFs. Needs root; otherwise says
# what is missing (those tests then skip, except under CI where they fail).
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v docker-compose >/dev/null || missing+=(docker-compose)
# npm installs axe-core, the accessibility checker the browser tests inject (make npm-deps).
command -v npm >/dev/null || missing+=(npm)
# WeasyPrint renders PDFs with Pango and Debian's DejaVu fonts.
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Not installed: ${missing[*]} (sudo apt-get install ${missing[*]}); their tests will skip."
fi
