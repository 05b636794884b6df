"""Small-angle deskew: the slant is measured, the page levelled before OCR, and the boxes of
what was read are turned back onto the page as it is."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SAMPLES
from PIL import Image, ImageDraw

from kiemchung.extractors.base import ExtractContext
from kiemchung.extractors.deskew import deskew, estimate_skew, unrotate_box
from kiemchung.extractors.reading import read_document

SCAN = SAMPLES / "2024" / "SYT" / "scan" / "BC-178-ky-so-quy-III.pdf"


@pytest.fixture(scope="module")
def page_image() -> Image.Image:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(SCAN))
    try:
        return pdf[0].render(scale=150 / 72).to_pil().convert("L")
    finally:
        pdf.close()


@pytest.mark.parametrize("slant", [-2.5, -0.5, 0.5, 1.5, 2.0])
def test_the_slant_is_measured_to_a_quarter_degree(page_image, slant):
    baseline = estimate_skew(page_image)  # the generated scan has its own small skew
    assert abs(estimate_skew(page_image.rotate(slant, fillcolor=255)) - (baseline - slant)) <= 0.25


def test_a_level_page_is_left_alone(page_image):
    levelled, angle = deskew(page_image.rotate(estimate_skew(page_image), fillcolor=255))
    assert angle == 0.0 and levelled.size == page_image.size


@pytest.mark.parametrize("angle", [2.0, -2.5])
def test_boxes_are_turned_back_onto_the_original_page(angle):
    image = Image.new("L", (1000, 1400), 255)
    ImageDraw.Draw(image).rectangle((800, 200, 806, 206), fill=0)
    ys, xs = np.where(np.asarray(image.rotate(angle, fillcolor=255)) < 128)
    x0, top, x1, bottom = unrotate_box((xs.min(), ys.min(), xs.max(), ys.max()), angle, image.size)
    assert abs(x0 - 800) <= 2 and abs(top - 200) <= 2 and abs(x1 - 806) <= 2 and abs(bottom - 206) <= 2


def test_a_crooked_scan_reads_like_a_straight_one(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(SCAN))
    pages = [pdf[i].render(scale=200 / 72).to_pil().convert("RGB").rotate(2.5, fillcolor="white") for i in range(len(pdf))]
    pdf.close()
    crooked = tmp_path / "crooked.pdf"
    pages[0].save(crooked, save_all=True, append_images=pages[1:], resolution=200)
    doc = read_document(crooked, "crooked.pdf", ExtractContext())
    assert doc.field_value("number") == "178/BC-SYT"
    assert doc.field_value("date") == "2024-10-03"
    assert doc.field_value("signer") == "Đoàn Thị Thu Hương"
