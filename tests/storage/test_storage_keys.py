"""safe_key and is_within: the rules that keep every key inside its root."""

from __future__ import annotations

import unicodedata

import pytest

from kiemchung.core.errors import StorageError, UnsafeKeyError
from kiemchung.storage.keys import is_within, safe_key, safe_prefix

ESCAPES = [
    "../x",
    "/etc/passwd",
    "a/../../b",
    "a\\..\\b",
    "a\x00b",
    "a//b",
    "a/./b",
    "a/",
    "",
    "..",
    "a/\nb",
]


@pytest.mark.parametrize("key", ESCAPES)
def test_escapes_are_rejected_with_a_vietnamese_message(key: str) -> None:
    with pytest.raises(UnsafeKeyError) as info:
        safe_key(key)
    assert isinstance(info.value, StorageError)
    assert "Khóa" in str(info.value)
    assert "\x00" not in str(info.value)  # control characters are shown escaped


def test_parts_are_joined_and_normalised_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Kế hoạch.pdf")
    key = safe_key("2024", "SYT", f"tệp/{decomposed}")
    assert key == "2024/SYT/tệp/Kế hoạch.pdf"
    assert unicodedata.is_normalized("NFC", key)


def test_parts_cannot_smuggle_escapes() -> None:
    with pytest.raises(UnsafeKeyError):
        safe_key("2024/SYT", "../SXD/x.pdf")
    with pytest.raises(UnsafeKeyError):
        safe_key("2024", "", "x")
    with pytest.raises(UnsafeKeyError):
        safe_key()


def test_overlong_key_is_rejected() -> None:
    with pytest.raises(UnsafeKeyError):
        safe_key("a" * 1100)


def test_is_within_goes_by_segments() -> None:
    assert is_within("2024/SYT", "2024/SYT/a.pdf")
    assert is_within("2024/SYT/", "2024/SYT/x/y.pdf")
    assert is_within("2024/SYT", "2024/SYT")
    assert not is_within("2024/SYT", "2024/SYTX/a.pdf")
    assert not is_within("2024/SYT", "2024/SYT/../SXD/a.pdf")
    assert is_within("", "anything/at/all")
    assert is_within(unicodedata.normalize("NFD", "2024/Sở"), "2024/Sở/a")


def test_safe_prefix_allows_empty_and_trailing_slash() -> None:
    assert safe_prefix("") == ""
    assert safe_prefix("/") == ""
    assert safe_prefix("2024/SYT/") == "2024/SYT"
    with pytest.raises(UnsafeKeyError):
        safe_prefix("../x/")
