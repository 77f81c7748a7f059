"""Choosing the text encoding of a CSV file, and marking the bytes that do not decode.

Files are decoded with the `UNDECODABLE` error handler: each byte that does not decode becomes
the lone surrogate U+DC00 + byte, as "surrogateescape" does, but for every byte value (that
handler refuses bytes below 0x80, which a broken UTF-16 file can contain). Valid text never
holds a lone surrogate, so the reader can find bad bytes per cell and reject only that row.
"""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from charset_normalizer import from_bytes

__all__ = [
    "UNDECODABLE",
    "bom_length",
    "detect_encoding",
    "normalise_encoding",
    "show_undecodable",
    "undecodable_bytes",
]

logger = logging.getLogger(__name__)

UNDECODABLE = "csvfile-undecodable"
_MARK_BASE = 0xDC00

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Codecs that would hand a BOM through as U+FEFF; "utf-16" and "utf-32" consume their own.
_BOM_OF_CODEC = {
    "utf-8": codecs.BOM_UTF8,
    "utf-8-sig": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}
# GB18030 is a superset of GBK, GB2312 and CP936: decoding with it loses nothing.
_GB_FAMILY = frozenset({"gbk", "gb2312", "gb18030"})
# Share of non-ASCII characters in GB2312 above which a GB18030-decodable sample is Chinese:
# Simplified Chinese text scores near 1.0; Shift-JIS read as GBK scores near 0.
_GB2312_SHARE = 0.5
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# Valid multi-byte UTF-8 almost never happens by chance in GBK or Latin-1 text, so a sample
# with one bad run per four good non-ASCII characters is still UTF-8 with a corrupt cell.
_UTF8_SLACK = 4


def _mark_undecodable(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(chr(_MARK_BASE + byte) for byte in bad), exc.end


codecs.register_error(UNDECODABLE, _mark_undecodable)
_MARK_RUN = re.compile("[\udc00-\udcff]+")
_SHOW_MARKS = {_MARK_BASE + byte: f"\\x{byte:02x}" for byte in range(256)}


def undecodable_bytes(text: str, limit: int = 16) -> bytes | None:
    """The first run of bytes marked undecodable in `text` (at most `limit`), or None."""
    found = _MARK_RUN.search(text)
    if found is None:
        return None
    return bytes(ord(char) - _MARK_BASE for char in found.group()[:limit])


def show_undecodable(text: str) -> str:
    """`text` with each undecodable byte written as ``\\xNN``, so it can be logged and stored."""
    return text.translate(_SHOW_MARKS)


def normalise_encoding(name: str) -> str:
    """Python's canonical name of a text codec; LookupError when it is unknown or not text."""
    info = codecs.lookup(name)
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(f"{name!r} is not a text encoding")
    return info.name


def bom_length(head: bytes, encoding: str) -> int:
    """How many leading bytes are a BOM that `encoding` would otherwise decode as U+FEFF."""
    bom = _BOM_OF_CODEC.get(normalise_encoding(encoding))
    return len(bom) if bom and head.startswith(bom) else 0


def detect_encoding(path: Path, sample_bytes: int = 256 * 1024) -> str:
    """Guess the encoding of a CSV file from its first `sample_bytes` bytes.

    In order: a BOM; pure ASCII is "utf-8"; a sample that is (nearly all) valid UTF-8 is
    "utf-8" (multi-byte UTF-8 is almost never another encoding by chance); a sample that
    decodes as GB18030 into mostly GB2312 characters is "gb18030"; else charset-normalizer, with
    GBK/GB2312/CP936 reported as their superset "gb18030". The GB check runs before
    charset-normalizer because on a few short rows the latter often answers Big5 or UTF-16
    for GBK. Known limit: EUC-KR and EUC-JP share GB2312's byte layout and come out as
    "gb18030"; pass the encoding explicitly for such files.
    """
    with path.open("rb") as stream:
        sample = stream.read(sample_bytes + 1)
    truncated = len(sample) > sample_bytes
    sample = sample[:sample_bytes]
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if truncated:
        # Cut at a line end so no multi-byte character is split (0x0A is never inside a
        # UTF-8 or GB18030 sequence).
        sample = sample[: sample.rfind(b"\n") + 1] or sample
    if sample.isascii():
        return "utf-8"
    # ASCII text in UTF-16/32 without a BOM is full of NULs; leave that to charset-normalizer.
    if sample.count(b"\x00") * 8 < len(sample):
        if _mostly_decodes(sample, "utf-8", final=not truncated, slack=_UTF8_SLACK)[0]:
            return "utf-8"
        if _looks_like_gb(sample, final=not truncated):
            return "gb18030"
    return _guess_with_charset_normalizer(sample, path)


def _mostly_decodes(sample: bytes, codec: str, *, final: bool, slack: int = 10) -> tuple[bool, str]:
    """Whether `sample` decodes with at most one bad run of bytes per `slack` non-ASCII chars.

    The slack lets a file with a few corrupt cells keep its encoding (the reader rejects just
    those rows); text in another encoding fails far more often than that. Unless `final`, a
    character cut off at the end of the sample is not counted as bad.
    """
    text = codecs.getincrementaldecoder(codec)(UNDECODABLE).decode(sample, final=final)
    runs = _MARK_RUN.findall(text)
    wide = len(text) - len(text.encode("ascii", "ignore")) - sum(map(len, runs))
    return wide > 0 and len(runs) * slack <= wide, text


def _looks_like_gb(sample: bytes, *, final: bool) -> bool:
    decodes, text = _mostly_decodes(sample, "gb18030", final=final)
    if not decodes or _PRIVATE_USE.search(text):
        return False  # Big5 read as GBK lands in the private-use area
    text = _MARK_RUN.sub("", text)
    wide = len(text) - len(text.encode("ascii", "ignore"))
    outside = text.encode("gb2312", "replace").count(b"?") - text.count("?")
    return (wide - outside) / wide >= _GB2312_SHARE


def _guess_with_charset_normalizer(sample: bytes, path: Path) -> str:
    has_nul = b"\x00" in sample
    for match in from_bytes(sample):
        # UTF-16/32 text with an ASCII delimiter always has NUL bytes; without them it is a
        # misreading of a short CJK sample.
        if not has_nul and match.encoding.startswith(("utf_16", "utf_32")):
            continue
        name = normalise_encoding(match.encoding)
        return "gb18030" if name in _GB_FAMILY else name
    logger.warning("could not tell the encoding of %s; reading it as utf-8", path)
    return "utf-8"
