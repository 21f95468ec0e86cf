#!/usr/bin/env bash
# The main job on the example data: check every unit, then render each one's
# 部门决算 as DOCX and PDF under output/ (units with errors as 草稿 drafts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/juesuan check data/*.yaml || true
.venv/bin/juesuan render data/*.yaml -o output --draft
ls -l output/
