"""Recognising Vietnamese text typed in a legacy encoding, so the unit is told which one.

Before Unicode, Vietnamese offices typed with font-based encodings: TCVN3 (ABC, the
``.VnTime`` fonts) and VNI Windows (the ``VNI-Times`` fonts). Text typed that way and pasted
into Excel arrives as Western characters: TCVN3 "Hà Nội" is stored as ``Hµ Néi``, VNI as
``Haø Noäi``. Loading it would put unreadable names into official dossiers, so such a cell is
an error, and the message names the encoding and shows how the text reads once converted.

The heuristic is comparative, so correct Unicode text is not flagged: a string is converted
as if it were TCVN3, VNI or Windows-1258 seen through Windows-1252, and it is flagged only when
the conversion turns words that are not Vietnamese syllables into words that are (at least
60% of the changed words, and more of them than before). "Nguyễn Thị Hòa" converted from
TCVN3 gives "Nguyễn Thị Hũa": as many valid syllables as before, so it is left alone; while
``Hµ Néi`` gives "Hà Nội": two valid syllables where there were none.

The same scoring names the encoding of a CSV file whose bytes are not UTF-8.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

TCVN3 = "tcvn3"
VNI = "vni"
CP1258 = "cp1258"
UTF16 = "utf16"

ENCODING_NAMES = {
    TCVN3: "TCVN3 (ABC)",
    VNI: "VNI Windows",
    CP1258: "Windows-1258 (CP1258)",
    UTF16: "UTF-16",
}
FONTS = {
    TCVN3: "phông .VnTime, .VnArial",
    VNI: "phông VNI-Times, VNI-Helve",
    CP1258: "bảng mã Windows tiếng Việt",
}

# --- TCVN3 (TCVN 5712:1993, VN3): bytes 0xA1-0xFF as Windows-1252 shows them -> Unicode -----
# From the TCVN5712-1 table of the GNU C library (iconv), restricted to the upper half that
# the ABC fonts use; the code points in between hold the capitals of the VN1 variant.
_TCVN3_UPPER_HALF = (
    "ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽéẹềểễếệìỉỄẾỒĩíịò"
    "ỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)
assert len(_TCVN3_UPPER_HALF) == 0x5F
TCVN3_TABLE = {chr(0xA1 + i): u for i, u in enumerate(_TCVN3_UPPER_HALF)}

# --- VNI Windows: a base letter followed by one mark character (Windows-1252) --------------
# Order of tones in each row: none, sắc, huyền, hỏi, ngã, nặng.
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_VNI_MARKS_LOWER = {
    "": ("", "ù", "ø", "û", "õ", "ï"),
    "\u0302": ("â", "á", "à", "å", "ã", "ä"),  # circumflex
    "\u0306": ("ê", "é", "è", "ú", "ü", "ë"),  # breve
}
_VNI_MARKS_UPPER = {
    "": ("", "Ù", "Ø", "Û", "Õ", "Ï"),
    "\u0302": ("Â", "Á", "À", "Å", "Ã", "Ä"),
    "\u0306": ("Ê", "É", "È", "Ú", "Ü", "Ë"),
}


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}
    for upper, marks in ((False, _VNI_MARKS_LOWER), (True, _VNI_MARKS_UPPER)):
        for base, hats in (
            ("a", ("", "\u0302", "\u0306")),
            ("e", ("", "\u0302")),
            ("o", ("", "\u0302")),
            ("u", ("",)),
            ("y", ("",)),
        ):
            b = base.upper() if upper else base
            for hat in hats:
                for tone, mark in zip(_TONES, marks[hat], strict=True):
                    if mark:
                        table[b + mark] = unicodedata.normalize("NFC", b + hat + tone)
        # ơ and ư are single characters, followed by a tone mark like any vowel
        for single, letter in (("Ô", "Ơ"), ("Ö", "Ư")) if upper else (("ô", "ơ"), ("ö", "ư")):
            table[single] = letter
            for tone, mark in zip(_TONES[1:], marks[""][1:], strict=True):
                table[single + mark] = unicodedata.normalize("NFC", letter + tone)
    # i and the ỵ of y carry their tones as single characters
    for chars, base in (("íìæóò", "i"), ("ÍÌÆÓÒ", "I")):
        for ch, tone in zip(chars, _TONES[1:], strict=True):
            table[ch] = unicodedata.normalize("NFC", base + tone)
    table.update({"î": "ỵ", "Î": "Ỵ", "ñ": "đ", "Ñ": "Đ"})
    return table


VNI_TABLE = _build_vni()
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(VNI_TABLE, key=len, reverse=True)))
_TCVN3_PATTERN = re.compile("[" + re.escape("".join(TCVN3_TABLE)) + "]")


def from_tcvn3(text: str) -> str:
    return unicodedata.normalize("NFC", _TCVN3_PATTERN.sub(lambda m: TCVN3_TABLE[m[0]], text))


def from_vni(text: str) -> str:
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: VNI_TABLE[m[0]], text))


def from_cp1258(text: str) -> str:
    """Text whose Windows-1258 bytes were read as Windows-1252."""
    try:
        raw = text.encode("cp1252")
    except UnicodeEncodeError:
        return text
    return unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace"))


CONVERTERS = {TCVN3: from_tcvn3, VNI: from_vni, CP1258: from_cp1258}

# --- What a Vietnamese syllable looks like --------------------------------------------------
_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
_NUCLEI = (  # longest first, so the alternation tries "uyê" before "u"
    "iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iu|iê|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_CODA = "ch|ng|nh|[cmnpt]"
_SYLLABLE = re.compile(rf"^(?:{_ONSET})?(?:{_NUCLEI})(?:{_CODA})?$")
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def is_syllable(word: str) -> bool:
    """Whether a word is spelled like a Vietnamese syllable (one tone at most)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(ch in _TONE_MARKS for ch in decomposed) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    return bool(_SYLLABLE.match(bare))


def _tokens(text: str) -> list[str]:
    return text.split()


def _clean(token: str) -> str:
    """A whitespace token without surrounding punctuation (legacy letters are kept: the
    TCVN3 letters are symbols such as ¸ µ ¶ to Unicode)."""
    out = token
    while out and out[0] in "\"'()[]{},.;:!?-–/":
        out = out[1:]
    while out and out[-1] in "\"'()[]{},.;:!?-–/":
        out = out[:-1]
    return out


@dataclass(frozen=True)
class Legacy:
    encoding: str  # TCVN3, VNI or CP1258
    converted: str  # the text read in that encoding

    @property
    def name(self) -> str:
        return ENCODING_NAMES[self.encoding]


def _score(original: str, converted: str) -> tuple[int, int, int]:
    """(changed words, valid before, valid after) over the words the conversion changed."""
    changed = before = after = 0
    for a, b in zip(_tokens(original), _tokens(converted), strict=False):
        if a == b:
            continue
        changed += 1
        before += is_syllable(_clean(a))
        after += is_syllable(_clean(b))
    return changed, before, after


@lru_cache(maxsize=1 << 16)
def detect_legacy(text: str) -> Legacy | None:
    """The legacy encoding a string seems typed in, or None for plain Unicode text.

    ``legacy_by_text`` is the definition; this computes the same word by word. Every
    conversion changes each word on its own (a letter, or a letter and its mark, never
    across a space), so a text's score is the sum of its words' — and a province's text is
    the same few thousand words over and over, each scored once. (Remembered by text too:
    files repeat the same names, units and phrases.)"""
    if text.isascii():
        return None
    totals = [sum(column) for column in zip(*map(_word_scores, _tokens(text)), strict=True)]
    if not totals:
        return None
    best: tuple[int, str] | None = None
    for i, encoding in enumerate(CONVERTERS):
        changed, before, after, meaningless = totals[4 * i : 4 * i + 4]
        if not changed or meaningless:
            continue  # unchanged, or a byte that means nothing in the encoding
        if encoding == CP1258 and not _cp1252(text):
            continue  # from_cp1258 leaves such a text as it is
        if after > before and after * 10 >= changed * 6:
            gain = after - before
            if best is None or gain > best[0]:
                best = (gain, encoding)
    return None if best is None else Legacy(best[1], CONVERTERS[best[1]](text))


@lru_cache(maxsize=1 << 18)
def _word_scores(word: str) -> tuple[int, ...]:
    """For each encoding in turn: whether converting changes the word, whether it is a
    syllable before and after (if it changed), whether the conversion met a byte that
    means nothing in the encoding."""
    out: list[int] = []
    for convert in CONVERTERS.values():
        converted = convert(word)
        changed = converted != word
        out += (
            changed,
            changed and is_syllable(_clean(word)),
            changed and is_syllable(_clean(converted)),
            "\ufffd" in converted,
        )
    return tuple(out)


def _cp1252(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def legacy_by_text(text: str) -> Legacy | None:
    """``detect_legacy`` by its definition, on the whole text (what tests compare it with)."""
    if text.isascii():
        return None
    best: tuple[int, Legacy] | None = None
    for encoding, convert in CONVERTERS.items():
        converted = convert(text)
        if converted == text or "\ufffd" in converted:
            continue
        changed, before, after = _score(text, converted)
        if after > before and after * 10 >= changed * 6:
            gain = after - before
            if best is None or gain > best[0]:
                best = (gain, Legacy(encoding, converted))
    return best[1] if best else None


# --- Bytes of a text file --------------------------------------------------------------------
@dataclass(frozen=True)
class DecodedText:
    text: str | None  # None when the bytes could not be read with confidence
    encoding: str  # "utf-8", UTF16, or the legacy encoding the bytes look like
    guessed: str | None = None  # for unreadable bytes: the most likely encoding, named


def _syllable_share(text: str) -> float:
    words = [_clean(t) for t in _tokens(text) if not t.isascii()]
    words = [w for w in words if w]
    if not words:
        return 0.0
    return sum(is_syllable(w) for w in words) / len(words)


def decode_text_file(data: bytes) -> DecodedText:
    """UTF-8 (with or without BOM) and UTF-16 (BOM or evident zero bytes) are read; any other
    bytes are not guessed into text, but the likely encoding is named for the unit."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return DecodedText(data.decode("utf-16"), UTF16)
        except UnicodeDecodeError:
            return DecodedText(None, UTF16, UTF16)
    elif len(data) >= 4 and data[:64].count(0) * 3 >= min(len(data), 64):
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if text[:1].isprintable():
                return DecodedText(text, UTF16)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    candidates = {
        CP1258: data.decode("cp1258", errors="replace"),
        TCVN3: from_tcvn3(data.decode("latin-1")),
        VNI: from_vni(data.decode("cp1252", errors="replace")),
    }
    shares = {
        enc: _syllable_share(unicodedata.normalize("NFC", t)) for enc, t in candidates.items()
    }
    guess = max(shares, key=lambda enc: shares[enc])
    return DecodedText(None, "unknown", guess if shares[guess] >= 0.5 else None)
