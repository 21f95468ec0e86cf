#!/usr/bin/env bash
# The main job on the example data: check every unit, then render each one's
# 部门决算 as DOCX and PDF under output/ (units with errors as 草稿 drafts).
# Then the way in for a new unit: import the 决算 software's workbook
# (data/yiyang-2024-决算报表.xlsx) into a unit file, and re-import it into an existing one.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/juesuan check data/*.yaml || true
.venv/bin/juesuan render data/*.yaml -o output --draft
mkdir -p output
# the workbook alone: every figure of the nine tables; what no table holds is 待填写, and check lists it
.venv/bin/juesuan import "data/yiyang-2024-决算报表.xlsx" --year 2024 --code yiyang-shebao \
    -o "output/益阳市社会保险服务中心-导入.yaml" --force
.venv/bin/juesuan check "output/益阳市社会保险服务中心-导入.yaml" || true
# a corrected workbook re-imported into the unit's own file: only figures change (here: none)
cp data/yiyang-2024-shebao.yaml output/益阳市社会保险服务中心-重新导入.yaml
.venv/bin/juesuan import "data/yiyang-2024-决算报表.xlsx" --into output/益阳市社会保险服务中心-重新导入.yaml
ls -l output/
