#!/usr/bin/env bash
# Set-up shared by the README's two commands: system packages (when missing),
# a virtual environment and the project with its test extras. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pango (WeasyPrint), poppler-utils (pdffonts/pdftoppm in tests), the CJK fonts
# the PDF uses, Liberation Serif (Times New Roman's metrics: the tables' numbers), and
# LibreOffice (tests open each DOCX in it, as a user would).
packages=(python3 python3-venv python3-pip libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
          poppler-utils fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei fonts-noto-cjk
          fonts-liberation2 libreoffice-writer-nogui chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "需要安装系统软件包：${missing[*]}；请用 root 运行本脚本（或先 sudo apt-get install 它们）。" >&2
    exit 1
  fi
  echo "安装系统软件包：${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
fi

# The Chinese font names the DOCX uses (仿宋, 黑体, 楷体, 宋体 — Windows' fonts) taken by the faces
# the PDF uses where they are not installed, so that LibreOffice shows a DOCX in the PDF's fonts.
conf=scripts/fontconfig/64-juesuan-chinese-names.conf
installed=/etc/fonts/conf.d/64-juesuan-chinese-names.conf
if ! cmp -s "$conf" "$installed"; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "需要把 $conf 复制到 /etc/fonts/conf.d/（中文字体名称的替代字体）；请用 root 运行本脚本。" >&2
    exit 1
  fi
  install -m 644 "$conf" "$installed"
  fc-cache -f >/dev/null 2>&1 || true
fi

python=python3
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "需要 Python 3.11 或更新版本（当前：$($python --version 2>&1)）" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# Read the installed fonts' character maps once (a few seconds), so that every render
# can name a character no font shows without paying for it again.
.venv/bin/python -c 'from generator.render.glyphs import installed_characters; installed_characters()'
