"""Plain-text reports: decoding (byte-order marks, UTF-8, GB18030, UTF-16 without a mark,
charset-normalizer as the last guess) and refusing binary files."""

from __future__ import annotations

import codecs
import re
import unicodedata

from nlp import lexicon
from nlp.errors import ReadError
from nlp.read.common import MAX_CHARS, MAX_LINES, Block, assemble, over
from nlp.types import Document

def decode_text(data: bytes, name: str = "<bytes>") -> str:
    """Decode a text file: BOM first, then UTF-8, GB18030, then charset-normalizer.

    >>> decode_text("政府信息公开".encode("gb18030"))
    '政府信息公开'
    >>> decode_text(codecs.BOM_UTF16_LE + "年度报告".encode("utf-16-le"))
    '年度报告'
    >>> decode_text("2023年度报告".encode("utf-16-le"))  # no byte-order mark
    '2023年度报告'
    """
    if not data:
        raise ReadError(name, "empty file")
    text = _decode_bom(data, name)
    if text is None and b"\x00" in data:
        text = _decode_utf16_unmarked(data)
        if text is None:
            raise ReadError(name, "binary file, not text (contains NUL bytes)")
    if text is None:
        text = _decode_plain(data, name)
    if _bad_ratio(text) > 0.02:
        raise ReadError(name, "binary file, not text (too many control or unknown characters)")
    if text.count("\ufffd") > _MOST_DAMAGED * len(text):
        raise ReadError(name, "text mostly undecodable (damaged UTF-8)")
    return text



_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]


def _decode_bom(data: bytes, name: str) -> str | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as err:
                raise ReadError(name, f"invalid {enc} text after its byte-order mark ({err.reason})") from None
    return None


def _decode_utf16_unmarked(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark (NUL bytes, but text): the byte order whose
    reading is almost all ASCII, CJK and punctuation, or None (binary)."""
    if len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _common_ratio(text) >= 0.95 and any(ch.isalnum() for ch in text):
            return text
    return None


def _decode_plain(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # UTF-8 with a stray bad byte (a cut-off download): keep it, one U+FFFD per damage
    # point, rather than misreading the whole file as GB18030.
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(8, len(text) // 200) and _looks_utf8(data):
        return text
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    if _looks_utf8(data, _DAMAGED_UTF8):
        # UTF-8 damaged all through (an old html2text cut wide characters in half inside
        # table cells): its text, the damage kept as U+FFFD, which the reconciler reports
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    text = None if best is None else str(best)
    if text is None or _common_ratio(text) < 0.85:
        raise ReadError(name, "binary file, not text (no text encoding fits)")
    return text


def _common_ratio(text: str) -> float:
    """Share of characters a Chinese report is made of: ASCII, CJK ideographs and punctuation.

    Guards the charset-normalizer guess, which happily reads random bytes as Korean.

    >>> _common_ratio("政府信息公开,2023年。"), _common_ratio("세세세세")
    (1.0, 0.0)
    """
    if not text:
        return 1.0
    common = sum(1 for ch in text if ch < "\x7f" or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
                 or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f" or ch in "\xa0\xb7")
    return common / len(text)


def _looks_utf8(data: bytes, share: float = 0.99) -> bool:
    """At least ``share`` of the bytes ≥ 0x80 form valid UTF-8 sequences (GBK text almost
    never does)."""
    high = sum(1 for b in data if b >= 0x80)
    if not high:
        return True
    valid = len(data.decode("utf-8", errors="ignore").encode("utf-8")) - sum(1 for b in data if b < 0x80)
    return valid >= share * high


# A text neither clean UTF-8 nor GB18030 whose high bytes are still this much valid UTF-8 is
# damaged UTF-8 (random bytes and GBK fall far below)
_DAMAGED_UTF8 = 0.9


# Whitespace, ASCII, Latin-1, CJK punctuation and ideographs, full-width ASCII: assigned,
# printable, most of any report.  Only the other characters need a category lookup.
PLAIN_TEXT = re.compile("[\t\n\r\f\v\x20-\x7e\xa0-\xff\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]+")


def _bad_ratio(text: str) -> float:
    """Share of characters no text file contains: controls, private use, unassigned.  (A
    U+FFFD is a damaged character of a text, which the reconciler reports where it stands:
    up to ``_MOST_DAMAGED`` of the text.)"""
    if not text:
        return 0.0
    bad = sum(1 for ch in PLAIN_TEXT.sub("", text)
              if unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs") and ch not in "\t\n\r\f\v")
    return bad / len(text)


_MOST_DAMAGED = 0.1  # share of a text's characters U+FFFD may be before it is refused


def _read_txt(data: bytes, name: str) -> Document:
    text = decode_text(data, name)
    if len(text) > MAX_CHARS:  # before splitting into lines
        raise over(name, len(text), "characters", "MAX_CHARS")
    if text.count("\n") >= MAX_LINES:
        raise over(name, text.count("\n") + 1, "lines", "MAX_LINES")
    return assemble(name, "txt", text_blocks(text, name))


_MARKDOWN_ESCAPE = re.compile(lexicon.load("reading")["markdown_escape"])


def text_blocks(text: str, name: str = "<text>") -> list[Block]:
    """A report's text as blocks to assemble: the text itself (its lines are split once, in
    assemble) — or, in a converter's Markdown, its HTML tables and pandoc grid tables as
    grids (nlp.read.grids) between its lines; tables drawn in box-drawing characters (a
    terminal browser's dump) are read as grid tables; Markdown's backslash escapes are the
    characters they escape.

    >>> text_blocks("（三）不予公开\\n1\\\\.属于国家秘密\\n0")
    ['（三）不予公开\\n1.属于国家秘密\\n0']
    >>> text_blocks('三、\\n\\n</div>\\n<div class="share">\\n分享到 <b>微信</b>')
    ['三、\\n\\n\\n\\n分享到 <b>微信</b>']
    """
    from nlp.read.grids import (box_drawing_as_ascii, has_box_drawing, has_table_tag, text_with_grid_tables,
                                text_with_tables)
    if has_box_drawing(text):  # a terminal browser's dump of a page: its tables drawn in boxes
        text = box_drawing_as_ascii(text)
    if "\\" in text:  # a converter's Markdown escapes (1\. 属于国家秘密): the characters escaped
        text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    blocks: list[Block] = [text]
    if "<" in text or "+-" in text or "+=" in text:
        if "<" in text and has_table_tag(text):  # HTML tables, as a web page's
            blocks = text_with_tables(text, name)
        blocks = [piece for b in blocks for piece in (text_with_grid_tables(b) if isinstance(b, str) else [b])]
        if "<" in text:  # a converter's Markdown keeps a page's wrappers as raw HTML (</div>)
            blocks = [_TAG_LINE.sub("", b) if isinstance(b, str) else b for b in blocks]
    return blocks


# A line of HTML tags and nothing else (a page's <div>…</div> wrappers a converter kept): an
# empty line — no words, and never a part's content.
_TAG_LINE = re.compile(r"^[ \t]*(?:(?:<!--.*?-->|</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>)[ \t]*)+$", re.M)
