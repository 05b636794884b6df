"""Object keys: the one place that decides whether a key may be used.

A key is a '/'-separated path relative to a store's root. Every store method passes keys through
`safe_key`, so no key, whatever a dossier or an archive says, can reach outside the root; callers
use it the same way to keep a unit's files inside ``<year>/<UNIT>/``.
"""

from __future__ import annotations

import unicodedata

from kiemchung.core.errors import UnsafeKeyError

# S3 caps keys at 1024 bytes of UTF-8; a local path that long is suspicious anyway.
MAX_KEY_BYTES = 1024


def safe_key(*parts: str) -> str:
    """Join key parts with '/' into one NFC-normalised key, or raise UnsafeKeyError.

    Each part may itself contain '/'. Rejected: empty keys, absolute paths, empty, '.' and '..'
    segments, backslashes (a Windows separator that could smuggle '..' past the check), NUL and
    other control characters.
    """
    if not parts:
        raise UnsafeKeyError("Khóa đối tượng rỗng")
    for part in parts:
        if not isinstance(part, str):
            raise UnsafeKeyError(f"Khóa đối tượng phải là chuỗi, nhận được {type(part).__name__}")
    key = unicodedata.normalize("NFC", "/".join(parts))
    shown = _printable(key)
    if not key:
        raise UnsafeKeyError("Khóa đối tượng rỗng")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in key):
        raise UnsafeKeyError(f"Khóa '{shown}' chứa ký tự điều khiển (NUL, xuống dòng…)")
    if "\\" in key:
        raise UnsafeKeyError(f"Khóa '{shown}' chứa dấu gạch ngược '\\'; hãy dùng '/' để phân cách")
    if key.startswith("/"):
        raise UnsafeKeyError(
            f"Khóa '{shown}' là đường dẫn tuyệt đối; chỉ chấp nhận đường dẫn tương đối"
        )
    for segment in key.split("/"):
        if segment in ("", ".", ".."):
            raise UnsafeKeyError(
                f"Khóa '{shown}' có đoạn rỗng, '.' hoặc '..'; không được ra ngoài thư mục gốc"
            )
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        raise UnsafeKeyError(f"Khóa '{shown[:80]}…' dài quá {MAX_KEY_BYTES} byte")
    return key


def safe_prefix(prefix: str) -> str:
    """A listing prefix: '' (everything) or a safe key, with any trailing '/' dropped."""
    prefix = prefix.rstrip("/") if prefix not in ("", "/") else ""
    return safe_key(prefix) if prefix else ""


def is_within(prefix: str, key: str) -> bool:
    """True when `key` is `prefix` itself or lies below it (segment-wise, not by string prefix).

    ``is_within("2024/SYT", "2024/SYT/a.pdf")`` is true; ``is_within("2024/SYT", "2024/SYTX/a")`` is
    false. Both sides are normalised first; an unsafe key is never within anything.
    """
    try:
        norm_prefix = safe_prefix(prefix)
        norm_key = safe_key(key)
    except UnsafeKeyError:
        return False
    if not norm_prefix:
        return True
    return norm_key == norm_prefix or norm_key.startswith(norm_prefix + "/")


def relative_to(prefix: str, key: str) -> str:
    """`key` with the '<prefix>/' in front removed; the key must lie below the prefix."""
    if not prefix:
        return key
    if not key.startswith(prefix + "/"):
        raise UnsafeKeyError(f"Khóa '{_printable(key)}' không nằm trong '{_printable(prefix)}'")
    return key[len(prefix) + 1 :]


def _printable(key: str) -> str:
    """The key as it may be shown in a message: control characters made visible."""
    return "".join(ch if ord(ch) >= 0x20 and ord(ch) != 0x7F else f"\\x{ord(ch):02x}" for ch in key)
