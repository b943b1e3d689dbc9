#!/usr/bin/env bash
# Checks the system libraries WeasyPrint needs (Pango) and installs them on Debian/Ubuntu
# when run as root; otherwise stops with a message saying what to install.
# The serif font is bundled in report_templates/assets/fonts, so no font package is needed.
set -euo pipefail

have_libs() {
  for lib in libpango-1.0.so libpangoft2-1.0.so libharfbuzz-subset.so; do
    ldconfig -p 2>/dev/null | grep -q "$lib" || return 1
  done
}

if have_libs; then
  exit 0
fi

echo "Thiếu thư viện hệ thống (Pango, HarfBuzz subset) mà WeasyPrint cần để dựng PDF."
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Đang cài đặt: libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig >/dev/null
  have_libs && exit 0
fi
cat >&2 <<'MSG'
Không thể tiếp tục: hãy cài Pango rồi chạy lại lệnh.
  Debian/Ubuntu:  sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  Fedora:         sudo dnf install pango
  macOS:          brew install pango
MSG
exit 1
