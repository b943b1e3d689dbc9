#!/usr/bin/env bash
# Prints the Python interpreter the project's .venv is made from.
#
# $PYTHON, when set, is used as given. Otherwise the distribution's own interpreter
# (/usr/bin/python3) comes first: Debian and Ubuntu build it with profile-guided and
# link-time optimisation and link it statically, and it runs WeasyPrint's layout about a
# fifth faster than a default source build (pyenv's, for one: no PGO, a shared libpython).
# Any interpreter must be Python 3.11 or newer and able to make a venv with pip.
set -euo pipefail

usable() {
  command -v "$1" >/dev/null 2>&1 &&
    "$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1
}

if [ -n "${PYTHON:-}" ]; then
  echo "$PYTHON"
  exit 0
fi
for candidate in /usr/bin/python3 python3; do
  if usable "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done
echo "Không tìm thấy Python 3.11 trở lên có mô-đun venv (Debian/Ubuntu: sudo apt-get install python3-venv)." >&2
exit 1
