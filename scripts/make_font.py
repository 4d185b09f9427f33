#!/usr/bin/env python3
"""Rebuilds assets/fonts/NotoSansSC-Regular-Common.otf from Debian's fonts-noto-cjk.

    apt-get install -y fonts-noto-cjk && pip install fonttools && python3 scripts/make_font.py

Covers the 8,105 characters of assets/fonts/tongyong-guifan-hanzi-8105.txt, Big5 level 1
(A440-C67E, 5,401 traditional characters), GB2312, the characters of corpus/, and the
symbol ranges in SYMBOL_RANGES. Prints the counts the README states.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "assets" / "fonts"
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_SC_INDEX = 2  # JP, KR, SC, TC, HK in Debian's collection
OUTPUT = FONTS / "NotoSansSC-Regular-Common.otf"
SYMBOL_RANGES = [
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xFF),  # Latin-1
    (0x2000, 0x206F),  # general punctuation
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2460, 0x24FF),  # circled and parenthesised numbers
    (0x25A0, 0x25FF),  # geometric shapes
    (0x2600, 0x26FF),  # miscellaneous symbols
    (0x3000, 0x303F),  # CJK punctuation
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20BB7, 0x20BB7),  # 𠮷, the old bundle had it
]


def double_byte(encoding, leads, trails, last=0xFFFF):
    characters = set()
    for lead in leads:
        for trail in trails:
            if (lead << 8) | trail > last:
                continue
            try:
                characters.add(bytes([lead, trail]).decode(encoding))
            except UnicodeDecodeError:
                pass
    return characters


def main():
    standard = set((FONTS / "tongyong-guifan-hanzi-8105.txt").read_text(encoding="utf-8").split())
    big5_level1 = double_byte("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)], last=0xC67E)
    gb2312 = double_byte("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))
    corpus = {c for path in (ROOT / "corpus").glob("*.txt") for c in path.read_text(encoding="utf-8") if c.isprintable()}
    symbols = {chr(code) for first, last in SYMBOL_RANGES for code in range(first, last + 1)}
    wanted = standard | big5_level1 | gb2312 | corpus | symbols

    font = TTCollection(str(SOURCE)).fonts[SOURCE_SC_INDEX]
    available = font.getBestCmap()
    missing_standard = sorted(c for c in standard if ord(c) not in available)
    if missing_standard:
        sys.exit(f"the source font lacks {''.join(missing_standard)}")
    options = subset.Options()
    options.layout_features = ["*"]
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted])
    subsetter.subset(font)
    font.save(str(OUTPUT))

    covered = set(font.getBestCmap())
    print(f"8105 list: {len(standard)}, Big5 level 1: {len(big5_level1)}, GB2312: {len(gb2312)}")
    print(f"asked: {len(wanted)}, in the font's cmap: {len(covered)}, glyphs: {len(font.getGlyphOrder())}")
    print(f"{OUTPUT.relative_to(ROOT)}: {OUTPUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
