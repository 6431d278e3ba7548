"""Bytes to text: byte order marks, UTF-8, a declared charset, then charset detection
(charset_normalizer). Empty, binary and undecodable inputs raise `InputError`."""

from __future__ import annotations

import unicodedata

from pantau.exc import InputError

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(name: str, data: bytes, content_type: str | None = None) -> str:
    """Bytes → text: BOM, then UTF-8, then the declared charset, then charset detection.
    Empty, binary and undecodable inputs raise InputError."""
    if not data.strip():
        raise InputError(name, "empty input")
    text = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(name, f"undecodable ({enc} byte order mark, but {exc.reason})") from exc
            break
    if text is None:
        if b"\x00" in data[:65536]:
            raise InputError(name, "binary content (NUL bytes), not text")
        text = _decode_guess(name, data, content_type)
    if control_ratio(text) > 0.05:
        raise InputError(name, "binary content (too many control characters), not text")
    if not text.strip():
        raise InputError(name, "empty input")
    return text


def _decode_guess(name: str, data: bytes, content_type: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"{exc.reason} at byte {exc.start}"
    charset = _charset(content_type)
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with httpx/trafilatura
        raise InputError(name, f"undecodable (not UTF-8: {utf8_error})") from None
    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        raise InputError(name, f"undecodable (not UTF-8: {utf8_error}; no other encoding fits)")
    return str(best)


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        k, _, v = part.strip().partition("=")
        if k.lower() == "charset" and v:
            return v.strip('"').strip()
    return None


def control_ratio(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc")
    return bad / len(sample)
