#!/usr/bin/python3
"""Read a .docx with python-docx (Debian python3-docx) and print what a
client sees as JSON: body paragraphs with their style names, every table as
a grid of cells (merged positions share one cell id), the styles' fonts, the
section geometry and footers, and the core properties.

Used by render/docx's tests: python-docx is an independent reader, so the
merges and texts it reports are checked against the document model.
"""
import json
import sys

import docx
from docx.oxml.ns import qn


def table_grid(table):
    tcs = list(table._tbl.iter(qn("w:tc")))
    grid = []
    for row in table.rows:
        cells = []
        for cell in row.cells:  # follows w:gridSpan and w:vMerge
            cells.append({"id": tcs.index(cell._tc), "text": cell.text})
        grid.append(cells)
    return grid


def style_info(style):
    rpr = style.element.rPr
    fonts = rpr.rFonts if rpr is not None else None
    get = (lambda a: fonts.get(qn(a))) if fonts is not None else (lambda a: None)
    return {
        "id": style.style_id,
        "eastAsia": get("w:eastAsia"),
        "ascii": get("w:ascii"),
        "sizePt": style.font.size.pt if style.font.size is not None else None,
    }


def main(path):
    d = docx.Document(path)
    sec = d.sections[-1]
    out = {
        "paragraphs": [{"style": p.style.name, "text": p.text} for p in d.paragraphs],
        "tables": [table_grid(t) for t in d.tables],
        "styles": {s.name: style_info(s) for s in d.styles if s.type == 1},  # paragraph styles
        "section": {
            "pageWidthMM": round(sec.page_width.mm, 1),
            "pageHeightMM": round(sec.page_height.mm, 1),
            "topMM": round(sec.top_margin.mm, 1),
            "bottomMM": round(sec.bottom_margin.mm, 1),
            "leftMM": round(sec.left_margin.mm, 1),
            "rightMM": round(sec.right_margin.mm, 1),
            "oddEven": d.settings.odd_and_even_pages_header_footer,
            "oddFooter": [p.text for p in sec.footer.paragraphs],
            "evenFooter": [p.text for p in sec.even_page_footer.paragraphs],
        },
        "core": {
            "title": d.core_properties.title,
            "author": d.core_properties.author,
            "created": d.core_properties.created.isoformat() if d.core_properties.created else None,
            "comments": d.core_properties.comments,
        },
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
