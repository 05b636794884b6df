"""Vietnamese text normalisation: NFC, confusables, tone placement, folding, Cyrillic look-alikes."""

from __future__ import annotations

import unicodedata

import pytest

from kiemchung.core.text import canonical, clean, contains_folded, fold, fold_chars, same_name


def test_clean_composes_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Thủy")
    assert decomposed != "Nguyễn Thị Thủy"
    assert clean(decomposed) == "Nguyễn Thị Thủy"
    assert unicodedata.is_normalized("NFC", clean(decomposed))


def test_clean_maps_eth_to_d_with_stroke() -> None:
    # Tesseract writes U+00D0 (Icelandic eth) for Đ; the two look the same and must match.
    assert clean("\u00d0à Nẵng") == "\u0110à Nẵng"
    assert clean("\u00f0ồng") == "\u0111ồng"
    assert clean("Q\u00d0-UBND") == "QĐ-UBND"


def test_clean_maps_dashes_slashes_and_invisible_characters() -> None:
    assert clean("12\u2215KH\u2013SYT") == "12/KH-SYT"
    assert clean("Sở\u00a0Y\u200b tế\ufeff") == "Sở Y tế"
    assert clean("chuyển đổi\u00ad số") == "chuyển đổi số"


def test_clean_keeps_case_tones_and_line_breaks() -> None:
    text = "SỞ Y TẾ\nSố: 05/KH-SYT"
    assert clean(text) == text


@pytest.mark.parametrize(
    ("old", "new"),
    [("Hoà", "Hòa"), ("Thuỷ", "Thủy"), ("Thuý", "Thúy"), ("Uỷ ban", "Ủy ban"), ("khoẻ", "khỏe"), ("Quý", "Qúy")],
)
def test_canonical_ignores_tone_placement(old: str, new: str) -> None:
    assert canonical(old) == canonical(new)


def test_canonical_folds_case_and_spacing_but_keeps_tones() -> None:
    assert canonical("  NGÔ   QUANG HÒA ") == canonical("Ngô Quang Hoà")
    # Different tones (or none) are different names.
    assert canonical("Hòa") != canonical("Hóa")
    assert canonical("Hòa") != canonical("Hoa")
    # Vowel qualities (â, ê, ô, ơ, ư, ă) are not tones: they stay.
    assert canonical("Tâm") != canonical("Tam")


def test_canonical_is_stable_under_nfd_and_eth() -> None:
    assert canonical(unicodedata.normalize("NFD", "Đoàn Thị Thu Hương")) == canonical("Đoàn Thị Thu Hương")
    assert canonical("\u00d0oàn") == canonical("Đoàn")


def test_same_name() -> None:
    assert same_name("Ngô Quang Hoà", "ngô quang  hòa")
    assert same_name("Phạm Thị Thanh Thuỷ", "PHẠM THỊ THANH THỦY")
    assert not same_name("Ngô Quang Hòa", "Ngô Quang Hà")
    assert not same_name("Ngô Quang Hòa", None)
    assert not same_name("", "")


def test_fold_drops_diacritics_case_and_spacing() -> None:
    assert fold("  Ủy ban  nhân dân\tPHƯỜNG Thạc Gián ") == "uy ban nhan dan phuong thac gian"
    assert fold("Đà Nẵng") == fold("\u00d0à Nẵng") == "da nang"
    assert fold("QĐ-UBND") == "qd-ubnd"


def test_contains_folded() -> None:
    assert contains_folded("KẾ HOẠCH Chuyển đổi số năm 2024", "chuyen doi so")
    assert contains_folded("Kế hoạch chuyển đổi số", "CHUYỂN ĐỔI SỐ")
    assert not contains_folded("Kế hoạch cải cách hành chính", "chuyển đổi số")


def test_fold_chars_keeps_one_char_per_input_char() -> None:
    text = "Số: 05/QĐ-SYT"
    folded = fold_chars(text)
    assert len(folded) == len(text)
    assert folded == "so: 05/qd-syt"


def test_cyrillic_look_alikes_inside_latin_words_become_latin() -> None:
    # "Sở Y tе" with a Cyrillic е (U+0435), "KH-SYТ" with a Cyrillic Т (U+0422).
    assert clean("Sở Y t\u0435") == "Sở Y te"
    assert clean("KH-SY\u0422") == "KH-SYT"
    assert canonical("Ph\u0430n Văn Khải") == canonical("Phan Văn Khải")


def test_all_cyrillic_words_are_left_alone() -> None:
    # A genuinely Cyrillic word has no Latin letter to anchor it: it is not "fixed".
    assert clean("\u0421\u0422\u0410\u0420\u0422 ok") == "\u0421\u0422\u0410\u0420\u0422 ok"
