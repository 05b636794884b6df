"""Handwritten fill-ins: the number and the day a clerk writes into the blanks of a typed page.

The scans and photos are made by tests/docgen.py (`handwritten=True` draws the digits in ink
strokes, slanted and uneven); the second reader (PP-OCRv4 through rapidocr-onnxruntime) runs for
real. The pure helpers are tested on the pieces the reader returns for real bands.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import threading
from pathlib import Path

import pytest
from docgen import DocSpec, blank_crop, make_photo_jpeg, make_scan_pdf
from PIL import Image, ImageDraw

from kiemchung.extractors import handwriting
from kiemchung.extractors.base import DIGITS, ExtractContext, Line
from kiemchung.extractors.fields.dates import DateParts, match_date_parts
from kiemchung.extractors.fields.fillin_bands import blank_between, rows, word_blank
from kiemchung.extractors.fields.fillin_second_reader import (
    Digits,
    second_date,
    second_number,
    second_symbol,
    with_crops,
)
from kiemchung.extractors.reading import read_document

CTX = ExtractContext()


def _spec(number: str, date: dt.date, **changes) -> DocSpec:
    values = dict(
        issuer="SỞ NỘI VỤ",
        parent="UBND THÀNH PHỐ ĐÀ NẴNG",
        title="Triển khai chuyển đổi số năm 2025",
        number=number,
        date=date,
        type_name="KẾ HOẠCH",
        body=["Căn cứ Quyết định số 2901/QĐ-UBND ngày 27 tháng 12 năm 2023 của Ủy ban nhân dân thành phố;"],
        authority=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
        signer="Nguyễn Văn An",
        handwritten=True,
    )
    values.update(changes)
    return DocSpec(**values)


def test_the_second_reader_is_installed_and_reads_digits() -> None:
    # The dependency comes with the project's install: no reader, no handwriting.
    assert handwriting.is_available()


@pytest.mark.parametrize(
    ("name", "spec", "maker"),
    [
        # A single thin digit for the day: the detector often sees no text there at all.
        ("one-digit-day.pdf", _spec("1734/KH-SNV", dt.date(2025, 10, 3)), make_scan_pdf),
        ("four-digits.pdf", _spec("5690/QĐ-SNV", dt.date(2025, 9, 19)), make_scan_pdf),
        ("photo.jpg", _spec("456/BC-SNV", dt.date(2025, 9, 20)), make_photo_jpeg),
    ],
)
def test_handwritten_fill_ins_are_read(tmp_path: Path, name: str, spec: DocSpec, maker) -> None:
    path = maker(spec, tmp_path / name, seed=5)
    doc = read_document(path, name, CTX)
    assert doc.field_value("number") == spec.number
    assert doc.field_value("date") == spec.date.isoformat()
    assert not doc.draft  # blanks filled in by hand are no unissued draft
    for field in ("number", "date"):
        assert "ppocr" in doc.fields[field].method


def test_illegible_fill_ins_leave_the_printed_parts(tmp_path: Path) -> None:
    spec = _spec("57/KH-SNV", dt.date(2025, 10, 14))
    path = make_scan_pdf(spec, tmp_path / "mo.pdf", seed=2, illegible=("number", "day"))
    doc = read_document(path, "mo.pdf", CTX)
    assert doc.field_value("number") is None and doc.field_value("date") is None
    assert doc.field_value("symbol") == "KH-SNV" and doc.fields["symbol"].bbox
    assert doc.field_value("date_partial") == "2025-10"


# ---------------------------------------------------------------- pure helpers, on real reader output

# What the reader returned for a generated band (page units): it splits the line at the ink.
BAND = [
    ("So: 5690", 0.95, (76.0, 99.3, 159.8, 125.9)),
    (" /QD-UBND", 0.98, (156.6, 107.6, 238.3, 123.8)),
    ("Da Nang, ngay", 0.99, (289.8, 107.6, 391.0, 127.4)),
    ("thang 9 nam 2025", 0.98, (435.6, 110.1, 557.3, 127.0)),
]


def test_pieces_join_into_the_header_columns() -> None:
    texts = [text for text, _, _ in rows(BAND)]
    assert texts == ["So: 5690 /QD-UBND", "Da Nang, ngay thang 9 nam 2025"]
    number = second_number(BAND, "QĐ-UBND")
    assert number is not None and (number.value, number.symbol) == ("5690", "QĐ-UBND")


def test_the_blank_where_the_day_was_written() -> None:
    box = blank_between(BAND, "day")
    assert box is not None and box[0] == pytest.approx(391.0) and box[2] == pytest.approx(435.6)
    assert blank_between(BAND, "month") is None  # `tháng 9`: the month was read, no blank
    # Ink the reader took for a letter does not hide the blank.
    junk = [*BAND[:3], ("了", 0.9, (410.0, 106.0, 420.1, 120.7)), BAND[3]]
    assert blank_between(junk, "day") == box


def test_a_year_part_is_not_the_number() -> None:
    # `19/2025/TT-BKHCN` with the handwritten 19 unread: 2025 is the year, not the number.
    assert second_number([("/2025/TT-BKHCN", 0.9, (0, 0, 1, 1))], "TT-BKHCN", "/2025") is None
    found = second_number([("19/2025/TT-BKHCN", 0.9, (0, 0, 1, 1))], "TT-BKHCN", "/2025")
    assert found is not None and found.value == "19"


def test_impossible_days_and_months_are_no_reading() -> None:
    assert match_date_parts("Đà Nẵng, ngày 45 tháng 13 năm 2025") == DateParts(None, None, 2025)
    assert match_date_parts("ngay 23t thang 11 nam 2024", glued=True) == DateParts(23, 11, 2024)
    assert match_date_parts("ngay 23t thang 11 nam 2024") == DateParts(None, 11, 2024)
    found = second_date([("Da Nang, ngay", 0.95, (0, 0, 10, 5)), ("23t", 0.97, (10, 0, 14, 5)), ("thang 11 nam 2024", 0.99, (14, 0, 30, 5))])
    assert found is not None and found[0] == DateParts(23, 11, 2024)


def test_a_date_inside_a_sentence_is_never_the_fill_in_date_line() -> None:
    from kiemchung.extractors.base import Line
    from kiemchung.extractors.fields.fillin_bands import date_line

    def at(*texts: str) -> int | None:
        return date_line([Line(t, 1, "ocr", (0.0, 20.0 * i, 500.0, 20.0 * i + 12)) for i, t in enumerate(texts)])

    # Tesseract lost the handwritten day's line shape; the body's deadline must not stand in.
    body = "trước ngày 15 tháng 12 năm 2024."
    assert at("SỞ VĂN HÓA VÀ THỂ THAO", "279? mC-SVHTT Đà Nẵng, ngày ˆ Ï( tháng 9 năm 2024", "BÁO CÁO", body) == 1
    assert at("SỞ VĂN HÓA VÀ THỂ THAO", "BÁO CÁO", body, "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020") is None
    assert at("ngày 10 tháng 9 năm 2024") == 0  # OCR lost the place: a line holding only the date


def test_a_number_whose_so_and_slash_were_lost_is_read_from_the_date_row(tmp_path: Path) -> None:
    # Seen on a generated scan: `Số:` under the ink, `/BC` read `mC`, the day in two scraps.
    spec = _spec("2793/BC-SVHTT", dt.date(2024, 9, 10), issuer="SỞ VĂN HÓA VÀ THỂ THAO", type_name="BÁO CÁO",
                 title="Triển khai chia sẻ dữ liệu năm 2024 của Sở Văn hóa và Thể thao",
                 body=["Các phòng, đơn vị trực thuộc tổ chức triển khai, báo cáo kết quả trước ngày 15 tháng 12 năm 2024.",
                       "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;"])  # fmt: skip
    doc = read_document(make_scan_pdf(spec, tmp_path / "bc.pdf", seed=1912), "bc.pdf", CTX)
    assert doc.field_value("date") == "2024-09-10"
    assert doc.field_value("number") == "2793/BC-SVHTT"


def test_processes_sharing_the_inference_lock_take_turns(tmp_path: Path) -> None:
    """Reader workers take turns with the model (issue 13: its buffers never add up): while a
    sibling holds the pool's lock file, a reading waits, then runs once it is released."""
    band = Image.new("RGB", (400, 60), "white")
    ImageDraw.Draw(band).text((10, 20), "Số: 1234/QĐ-UBND", fill="black")
    lock = tmp_path / "ppocr.lock"
    handwriting.share_inference_lock(str(lock))
    sibling = os.open(lock, os.O_RDWR)  # another open file: as another worker's
    fcntl.flock(sibling, fcntl.LOCK_EX)
    done = threading.Event()
    try:
        threading.Thread(target=lambda: (handwriting.read_band(band), done.set()), daemon=True).start()
        assert not done.wait(1.5)  # waits for its turn
        fcntl.flock(sibling, fcntl.LOCK_UN)
        assert done.wait(30)
    finally:
        os.close(sibling)
        os.close(handwriting._SHARED.pop("fd"))


# ---------------------------------------------------------------- crops of a blank's ink, voted


@pytest.mark.parametrize(
    ("digits", "look"),
    [
        ("22", {}),
        ("22", {"ink": 120, "paper": 215}),  # a grey photocopy: grey ink on grey paper is ink too
        ("1734", {}),
        ("9", {}),  # one thin digit over the printed dots
    ],
)
def test_the_ink_of_a_blank_is_read_from_voted_crops(digits: str, look: dict) -> None:
    found = handwriting.read_digits(blank_crop(digits, **look))
    assert found and found[0].text == digits
    assert found[0].score > 0.5  # most crops read it, surely


def test_an_empty_blank_holds_no_number() -> None:
    assert handwriting.read_digits(blank_crop("")) == []  # the typist's dots are no ink


def test_a_number_blank_stops_at_the_printed_slash() -> None:
    # Tesseract's words put the blank's end a little late: the symbol's slash is in the crop,
    # and read with digits only it becomes a 1 (`1431`, `14310`).
    crop = blank_crop("143", after="/QĐ")
    assert handwriting.read_digits(crop, DIGITS + "/")[0].text == "143"
    assert handwriting.read_digits(crop)[0].text != "143"


def _line(words: list[tuple[str, tuple[float, float, float, float]]]) -> Line:
    return Line(" ".join(w for w, _ in words), 1, "ocr", None, 0.8, [(w, 0.8) for w, _ in words], [b for _, b in words])


# Tesseract's words of a real scan's header row (page units): the day glued to `ngày`, the
# number's ink read as `9%`.
ROW = _line(
    [
        ("Số:", (117, 96, 134, 110)),
        ("9%", (142, 96, 157, 108)),
        ("/TTr-CAT-PC06", (166, 100, 260, 110)),
        ("Lâm", (336, 100, 361, 111)),
        ("ngày99", (403, 100, 447, 114)),
        ("tháng", (451, 100, 483, 114)),
        ("10", (487, 101, 500, 111)),
        ("năm", (503, 101, 526, 111)),
    ]
)


def test_tesseracts_words_place_the_blanks() -> None:
    number = word_blank(ROW, "number")
    assert number is not None and (number[0], number[2]) == (134, 166)
    day = word_blank(ROW, "day")  # `ngày99`: the blank starts after the word's first 4 letters
    assert day is not None and day[0] == pytest.approx(403 + 44 * 4 / 6) and day[2] == 451
    assert day[1] < 100 and day[3] > 114  # ink overflows the printed line
    month = word_blank(ROW, "month")
    assert month is not None and (month[0], month[2]) == (483, 503)


def test_a_lone_slash_is_ink_and_the_symbol_starts_later() -> None:
    # A handwritten 1 that Tesseract read as `/` is inside the blank, not the symbol's slash.
    row = _line([("Số:", (94, 109, 113, 120)), ("/", (137, 104, 143, 119)), ("/BC-UBND", (153, 110, 223, 121))])
    box = word_blank(row, "number")
    assert box is not None and box[2] == 153
    year = _line([("Số:", (0, 0, 10, 10)), ("19", (14, 0, 24, 10)), ("/2025/TT-BKHCN", (30, 0, 90, 10))])
    assert word_blank(year, "number")[2] == 30  # type: ignore[index]


def test_capitals_tesseract_made_of_ink_are_inside_the_blank() -> None:
    # A phone scan's handwritten 511 read `ZZ⁄⁄`; the symbol starts at `/TT…` (or at capitals
    # before a hyphen when the slash was lost: `12BCA-C04`).
    row = _line([("Số:", (100, 94, 114, 105)), ("ZZ⁄⁄", (118, 92, 139, 108)), ("/TT:-CAT(PC04)", (143, 96, 226, 107))])
    box = word_blank(row, "number")
    assert box is not None and (box[0], box[2]) == (114, 143)
    glued = _line([("Số:", (104, 100, 120, 110)), ("24", (125, 98, 133, 112)), ("12BCA-C04", (145, 98, 217, 111))])
    assert word_blank(glued, "number")[2] == pytest.approx(145 + 72 * 2 / 9)  # type: ignore[index]


def test_the_symbol_after_digits_no_reader_parsed() -> None:
    assert second_symbol([("So: 5AM /TTr-CAT(PC04)", 0.92, (0, 0, 1, 1))]) == "TTr-CAT(PC04)"
    assert second_symbol([("Lam Dong, ngay 23 thang 12", 0.98, (0, 0, 1, 1))]) is None


def test_the_crops_outvote_the_band_and_the_band_breaks_near_ties() -> None:
    box = (0.0, 0.0, 1.0, 1.0)
    # The band lost a digit (`29`); most crops read the ink `289`.
    band = Digits("ppocr", "29", 0.93, box)
    assert with_crops(band, [("289", 0.64, box), ("29", 0.08, box)], 99999).value == "289"
    # Crops read a 4 that looks like an A as nothing (`16`) about as often as `416`; the band's
    # `A16`, read as 416, decides.
    band = Digits("ppocr", "416", 0.7, box)
    assert with_crops(band, [("16", 0.48, box), ("416", 0.41, box)], 99999).value == "416"
    # Alone, a value few crops read is no reading; an impossible day is none either.
    assert with_crops(None, [("1", 0.23, box)], 99999) is None
    assert with_crops(None, [("45", 0.9, box)], 31) is None
    found = with_crops(None, [("22", 0.89, box)], 31)
    assert found is not None and found.value == "22" and found.confidence == pytest.approx(0.89)
