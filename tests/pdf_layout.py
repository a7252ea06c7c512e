"""Where a PDF's words are: any character off the page or printed over another (read with pdfplumber)."""

from __future__ import annotations

import io


def layout_problems(pdf: bytes, tolerance: float = 0.5) -> list[str]:
    """One line per character off its page, and per pair of characters (from different places in the text) that
    overlap by more than a quarter of the smaller one. Characters next to each other in the text may touch (kerning),
    and so may the letters of one turned label (their boxes are upright, wider than the letters); every other pair
    is compared, turned labels against each other included."""
    import pdfplumber

    problems: list[str] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            chars, run, previous = [], 0, None
            for i, c in enumerate(page.chars):  # a run: characters drawn one after another, close, same turn
                if previous is not None and (c["matrix"][:4] != previous["matrix"][:4] or
                                             abs(c["x0"] - previous["x0"]) + abs(c["top"] - previous["top"])
                                             > 2 * c["size"]):
                    run += 1
                previous = c
                if c["text"].strip():
                    chars.append({**c, "index": i, "run": run})
            for c in chars:
                if c["x0"] < -tolerance or c["top"] < -tolerance or c["x1"] > page.width + tolerance \
                        or c["bottom"] > page.height + tolerance:
                    problems.append(f"page {number}: {c['text']!r} off the page at ({c['x0']:.0f}, {c['top']:.0f})")
            chars.sort(key=lambda c: c["x0"])
            for i, a in enumerate(chars):
                area_a = (a["x1"] - a["x0"]) * (a["bottom"] - a["top"])
                for b in chars[i + 1:]:
                    if b["x0"] >= a["x1"]:
                        break
                    w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                    if w <= 0 or h <= 0 or abs(a["index"] - b["index"]) <= 1:  # neighbours: kerning ("Ta")
                        continue
                    turned = abs(a["matrix"][1]) > 1e-3 or abs(a["matrix"][2]) > 1e-3
                    if turned and a["run"] == b["run"]:  # a turned label's letter boxes are wider than its letters
                        continue
                    smaller = min(area_a, (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
                    if smaller > 0 and w * h > 0.25 * smaller:
                        problems.append(f"page {number}: {a['text']!r} and {b['text']!r} overlap at "
                                        f"({a['x0']:.0f}, {a['top']:.0f})")
    return problems


def page_text(pdf: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)
