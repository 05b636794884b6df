"""The signature block's token patterns (extractors/fields/nlp.py): authority prefixes and roles,
tolerant of OCR's tone errors and glued residue, mapped back to character offsets of lines."""

from __future__ import annotations

import pytest

from kiemchung.extractors.fields.nlp import find_mentions, token_norm


def mentions(*texts: str) -> list[tuple[str, int, str, str]]:
    """(label, line, printed span, value) of every mention."""
    return [(m.label, m.line, texts[m.line][m.start : m.end], m.value) for m in find_mentions(list(texts))]


@pytest.mark.parametrize(
    ("text", "norm"), [("GIÁM", "giam"), ("ĐÓC,", "doc"), ("KT.", "kt"), ("_W6.HIỆU", "hieu"), ("(ký)", "ky"), ("-", "-")]
)
def test_token_norm_folds_letters(text: str, norm: str) -> None:
    assert token_norm(text) == norm


def test_authority_and_role_with_offsets_per_line() -> None:
    assert mentions("Nơi nhận: KT. GIÁM ĐỐC", "- Như trên; PHÓ GIÁM ĐỐC") == [
        ("AUTHORITY", 0, "KT.", "KT."),
        ("ROLE", 0, "GIÁM ĐỐC", "GIÁM ĐỐC"),
        ("ROLE", 1, "PHÓ GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ]


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("PHÓ GIÁM ĐÓC", "PHÓ GIÁM ĐỐC"),  # OCR's wrong tone: the Decree-30 spelling comes back
        ("PHO CHU TICH", "PHÓ CHỦ TỊCH"),  # typed without Vietnamese input
        ("CHÁNH VĂN PHÒNG", "CHÁNH VĂN PHÒNG"),
        ("PHÓ CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"),
        ("THỨ TRƯỞNG", "THỨ TRƯỞNG"),  # not "TRƯỞNG" found inside it
        ("PHÓ CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG"),
        ("GIÁM ĐỐC SỞ NỘI VỤ", "GIÁM ĐỐC SỞ NỘI VỤ"),  # the capitals after the role stay
        ("_W6.HIỆU TRƯỞNG _...", "HIỆU TRƯỞNG"),  # OCR residue glued in front, dots after
        ("TRƯỞNG BAN", "TRƯỞNG BAN"),
    ],
)
def test_roles(text: str, role: str) -> None:
    found = [m for m in mentions(text) if m[0] == "ROLE"]
    assert [m[3] for m in found] == [role]


@pytest.mark.parametrize(
    ("text", "value"),
    [("TM. ỦY BAN NHÂN DÂN", "TM."), ("TL. GIÁM ĐỐC", "TL."), ("TUQ. CHỦ TỊCH", "TUQ."), ("Q. GIÁM ĐỐC", "Q."), ("KT . CHỦ TỊCH", "KT.")],
)
def test_authorities(text: str, value: str) -> None:
    assert [m[3] for m in mentions(text) if m[0] == "AUTHORITY"] == [value]


def test_no_authority_without_its_dot_or_before_prose() -> None:
    assert [m for m in mentions("KT GIÁM ĐỐC", "Quận 1, TP. HCM", "TL, theo đó") if m[0] == "AUTHORITY"] == []


def test_lines_without_two_capitals_never_reach_the_tokenizer() -> None:
    """Prose is most of a signature page; roles in it are not in capitals anyway."""
    assert mentions("Giám đốc Sở Y tế chỉ đạo thực hiện.", "Trân trọng./.") == []
