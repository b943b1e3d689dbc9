#!/usr/bin/env bash
# Checks the system libraries WeasyPrint needs (Pango) and installs them on Debian/Ubuntu
# when run as root; otherwise stops with a message saying what to install.
# With --tests it also checks pdftotext (poppler-utils), with which the tests read the
# rendered PDFs back.
# The serif font is bundled in report_templates/assets/fonts, so no font package is needed.
set -euo pipefail

for_tests=false
[ "${1:-}" = "--tests" ] && for_tests=true

have_libs() {
  # Read the cache once, not through a pipe: with pipefail, `ldconfig -p | grep -q` fails
  # whenever grep stops reading before ldconfig has finished writing (SIGPIPE).
  local cache
  cache=$(ldconfig -p 2>/dev/null || true)
  for lib in libpango-1.0.so libpangoft2-1.0.so libharfbuzz-subset.so; do
    grep -q "$lib" <<<"$cache" || return 1
  done
}

have_test_tools() {
  ! $for_tests || command -v pdftotext >/dev/null 2>&1
}

packages=()
if ! have_libs; then
  echo "Thiếu thư viện hệ thống (Pango, HarfBuzz subset) mà WeasyPrint cần để dựng PDF."
  packages+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig)
fi
if ! have_test_tools; then
  echo "Thiếu pdftotext (gói poppler-utils) mà bộ kiểm thử dùng để đọc lại các tệp PDF."
  packages+=(poppler-utils)
fi
[ ${#packages[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Đang cài đặt: ${packages[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  have_libs && have_test_tools && exit 0
fi
cat >&2 <<'MSG'
Không thể tiếp tục: hãy cài các gói trên rồi chạy lại lệnh.
  Debian/Ubuntu:  sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils
  Fedora:         sudo dnf install pango poppler-utils
  macOS:          brew install pango poppler
MSG
exit 1
