"""Bytes from an input file to text, or a clear reason why not.

UTF-8 is expected (with or without a byte-order mark; UTF-16 with a
byte-order mark is read too). Text pasted from older Korean or Western
systems often arrives as CP949 or Windows-1252 (Latin-1); such a file is
decoded only when exactly one of the two reads as plausible text of its
language, and refused otherwise — a wrong guess would silently corrupt names.
Line endings (CRLF, CR) become ``\\n``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from .errors import NcgError, Problem
from .text import normalize_newlines

SAVE_AS_UTF8 = "save the file as UTF-8 and run again"
_BINARY = "this is a binary file, not text (it holds control characters)"

# Control characters that never occur in text (tab, newlines and form feed do).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])  # the same, for bytes.translate
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")

# Non-ASCII characters Western text uses besides letters: quotes, dashes, symbols.
_WESTERN_PUNCTUATION = set("\u00a0¡¢£¥§©«®°±·»¿×÷‘’‚“”„–—…€™•")


def _line_at(data: bytes, index: int) -> int:
    head = data[:index]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def is_korean(text: str) -> bool:
    """Whether text read as CP949 looks like Korean: Hangul words, not stray syllables.

    Latin-1 bytes such as "Är" also form valid CP949 pairs, but they come out
    as lone syllables glued between Latin letters; Korean words run to two
    syllables or more most of the time.
    """
    foreign = "".join(_NON_ASCII_RUN.findall(text))
    korean = sum(
        1 for c in foreign if "\uac00" <= c <= "\ud7a3" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" or "\u4e00" <= c <= "\u9fff"
    )
    runs = _HANGUL_RUN.findall(text)
    if not foreign or not runs or korean < 0.9 * len(foreign):
        return False
    single = sum(1 for r in runs if len(r) == 1)
    return single <= len(runs) / 2


def is_western(text: str) -> bool:
    """Whether text read as Windows-1252 looks like Western text: accents inside words.

    Korean bytes read this way come out as long runs of accented letters and
    symbols; real Western text has at most a couple of non-ASCII characters
    in a row, each a letter or common punctuation.
    """
    for run in _NON_ASCII_RUN.findall(text):
        if len(run) > 3:
            return False
        for c in run:
            if c not in _WESTERN_PUNCTUATION and not unicodedata.category(c).startswith("L"):
                return False
    return True


# Legacy encodings tried when a file is not UTF-8, with the test each must pass.
LEGACY = (("CP949", "cp949", is_korean), ("Windows-1252 (Latin-1)", "cp1252", is_western))


def _legacy(data: bytes, path: Path | None, line: int) -> str:
    plausible = [
        (name, text)
        for name, codec, looks_right in LEGACY
        if (text := _strict(data, codec)) is not None and looks_right(text)
    ]
    if len(plausible) == 1:
        return plausible[0][1]
    raise NcgError(Problem("file is not UTF-8 text, and its encoding cannot be told for certain", path, line, hint=SAVE_AS_UTF8))


def decode_text(data: bytes, path: Path | None = None) -> str:
    """The text in `data`, with newlines normalised, or an NcgError naming the line at fault."""
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[len(codecs.BOM_UTF8) :], "utf-8")
        if text is None:
            raise NcgError(Problem("file starts with a UTF-8 byte-order mark but is not UTF-8", path, hint=SAVE_AS_UTF8))
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16")
        if text is None:
            raise NcgError(Problem("file starts with a UTF-16 byte-order mark but is not UTF-16", path, hint=SAVE_AS_UTF8))
        text = text.lstrip("\ufeff")
    elif len(data.translate(None, _CONTROL_BYTES)) != len(data):  # these bytes mean the same in every encoding tried below
        control = _CONTROL_BYTE.search(data)
        raise NcgError(Problem(_BINARY, path, _line_at(data, control.start() if control else 0)))
    else:
        try:
            return normalize_newlines(data.decode("utf-8"))  # in UTF-8 a control character is its byte: none, as checked
        except UnicodeDecodeError as error:
            text = _legacy(data, path, _line_at(data, error.start))
    control = _CONTROL.search(text)
    if control:
        raise NcgError(Problem(_BINARY, path, normalize_newlines(text[: control.start()]).count("\n") + 1))
    return normalize_newlines(text)
