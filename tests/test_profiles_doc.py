"""docs/profiles.md's worked example: the profile folder it shows, taken from the page as written,
makes the layout the page says it makes (so the example cannot drift from the program)."""

from __future__ import annotations

import re
from pathlib import Path

from generator.layout.tree import Heading, Paragraph
from generator.pipeline import check_file, documents

from conftest import DATA

DOC = Path(__file__).parent.parent / "docs" / "profiles.md"


def example_files(target: Path) -> list[Path]:
    """Every ```yaml block of the page that starts with ``# 文件：<path>``, written under ``target``."""
    written = []
    for block in re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        first, _, rest = block.partition("\n")
        match = re.match(r"# 文件：(.+)$", first)
        if match:
            path = target / match.group(1).strip()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(rest, encoding="utf-8")
            written.append(path)
    return written


def test_the_worked_example_makes_the_layout_the_page_describes(tmp_path):
    files = example_files(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["某省方案/profile.yaml", "某省方案/structure.yaml"]
    checked = check_file(DATA / "yiyang-2024-shebao.yaml", profile=str(tmp_path / "某省方案"))
    assert not checked.errors
    (document,) = documents(checked)
    headings = [(b.level, b.text) for b in document.blocks if isinstance(b, Heading)]
    assert document.blocks[0].title == "2024年度益阳市社会保险服务中心单位决算"
    assert [t for level, t in headings if level == 1] == [
        "第一部分 单位概况", "第二部分 2024年度单位决算表", "第三部分 2024年度单位决算情况说明", "第四部分 名词解释"]
    assert [t for level, t in headings if level == 2][:2] == ["一、主要职能", "二、机构设置"]
    part3 = [t for level, t in headings if level == 2][2:]
    assert [t[:2] for t in part3[6:]] == ["七、", "八、", "九、", "十、"]
    assert "政府性基金" in part3[6] and "国有资本经营" in part3[7] and "三公" in part3[8] and "其他重要事项" in part3[9]
    assert [t for level, t in headings if level == 3][-4:] == [
        "（一）机关运行经费支出情况", "（二）政府采购支出情况", "（三）国有资产占用情况", "（四）预算绩效管理情况"]
    statements = document.tables("statement")
    assert {t.owner for t in statements} == {"单位：益阳市社会保险服务中心"} and {t.label for t in statements} == {""}
    assert not any(cell == "栏次" for t in statements for g in t.grids for row in g.matrix() for cell in row)
    blocks = list(document.blocks)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "第四部分 名词解释")
    terms = [b.text for b in blocks[start + 1:] if isinstance(b, Paragraph)]
    assert [t.split("：")[0] for t in terms] == ["一、基本支出", "二、项目支出", "三、“三公”经费", "四、机关运行经费"]
