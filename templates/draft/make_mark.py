"""Build ``mark.json``: the 草稿 (draft) mark as glyph outlines, drawn as shapes in both formats.

Run from the project root after changing the font or the text:

    .venv/bin/python templates/draft/make_mark.py

A draft's watermark must not be text: pdftotext and reviewers' checking tools
would splice its characters into table cells and sentences (草⏎0.57), so a
draft's extracted text would differ from the final document's.  The two
characters' outlines are read once from WenQuanYi Zen Hei (the PDF's 黑体) and
kept as quadratic path commands in a 1000-unit box, y pointing down; the PDF
writer draws them as an SVG path, the DOCX writer as a DrawingML custom shape.
"""

from __future__ import annotations

import json
from pathlib import Path

from fontTools.pens.basePen import decomposeQuadraticSegment
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTCollection

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
TEXT = "草稿"
OUTPUT = Path(__file__).resolve().parent / "mark.json"
BOX = 1000  # the height of the box the mark is scaled into


def outlines() -> dict:
    font = TTCollection(str(FONT)).fonts[0]
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    ascent, descent = font["hhea"].ascent, font["hhea"].descent
    height = ascent - descent
    scale = BOX / height
    commands: list[list] = []
    x0 = 0
    for char in TEXT:
        name = cmap[ord(char)]
        pen = RecordingPen()
        glyphs[name].draw(pen)

        def point(p):  # font units, y up → the box, y down
            return [round((x0 + p[0]) * scale, 1), round((ascent - p[1]) * scale, 1)]

        for op, args in pen.value:
            if op == "moveTo":
                commands.append(["M", *point(args[0])])
            elif op == "lineTo":
                commands.append(["L", *point(args[0])])
            elif op == "qCurveTo":
                for control, end in decomposeQuadraticSegment(args) if len(args) > 2 else [args]:
                    commands.append(["Q", *point(control), *point(end)])
            elif op == "curveTo":  # a CFF font: not expected from a TrueType face
                raise ValueError(f"cubic curves in {FONT.name}: use a TrueType font")
            elif op in ("closePath", "endPath"):
                commands.append(["Z"])
        x0 += glyphs[name].width
    return {"text": TEXT, "font": FONT.name, "width": round(x0 * scale), "height": BOX, "path": commands}


if __name__ == "__main__":
    OUTPUT.write_text(json.dumps(outlines(), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes)")
