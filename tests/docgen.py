"""A factory of Vietnamese administrative documents laid out per Decree 30/2020/NĐ-CP.

Used by sample_evidence/make_samples.py, by tests and by benchmarks. One `DocSpec` describes a
document; four writers turn it into the file kinds units upload:

- `make_pdf`: a born-digital PDF with a real text layer (DejaVu Serif embedded, so Vietnamese
  extracts exactly with pypdfium2);
- `make_scan_pdf`: the same pages as an office scan - greyish paper, mild noise and skew, a blue
  signature and a red seal over the left third of the signer's name - saved as an image-only PDF;
- `make_photo_jpeg`: a phone photo of page 1 on a desk, warm light, slight perspective;
- `make_docx`: a Word file built like e-office exports (header and signature block in tables).

Everything is deterministic for a given spec and seed: the same call gives the same bytes, so
sample files can be committed and regenerated without spurious diffs.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
import tempfile
import time
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FONT_FILES = {
    "R": "DejaVuSerif.ttf",
    "B": "DejaVuSerif-Bold.ttf",
    "I": "DejaVuSerif-Italic.ttf",
    "BI": "DejaVuSerif-BoldItalic.ttf",
}
_PDF_FONTS = {
    "R": "DVSerif",
    "B": "DVSerif-Bold",
    "I": "DVSerif-Italic",
    "BI": "DVSerif-BoldItalic",
}

# A4 in points; margins per Decree 30 (top/bottom 20 mm, left 30 mm, right 15 mm).
PAGE_W, PAGE_H = 595.28, 841.89
LEFT, RIGHT, TOP, BOTTOM = 85.0, PAGE_W - 42.5, 50.0, PAGE_H - 57.0
TEXT_CX = (LEFT + RIGHT) / 2
# Header columns: the issuer block sits left, the national motto right (they reach into the
# left margin like the tables of real e-office templates).
HDR_L = (42.0, 272.0)
HDR_R = (272.0, 572.0)
SIG_CX = 425.0  # centre of the signature block
BODY_SIZE, BODY_LEAD = 13.0, 18.0
FIXED_TIME = (2024, 1, 1, 0, 0, 0)

# Paragraphs appended when a spec asks for more pages than its body fills: routine language of
# implementation plans, harmless to any parser.
FILLER = [
    "Các phòng, đơn vị thuộc cơ quan căn cứ chức năng, nhiệm vụ được giao chủ động xây dựng "
    "kế hoạch chi tiết, phân công cụ thể cán bộ phụ trách, bảo đảm tiến độ và chất lượng.",
    "Định kỳ hằng quý, các đơn vị báo cáo kết quả thực hiện về Văn phòng để tổng hợp, báo cáo "
    "lãnh đạo; kịp thời phản ánh khó khăn, vướng mắc phát sinh trong quá trình triển khai.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách nhà nước giao trong dự toán hằng năm "
    "của cơ quan và các nguồn kinh phí hợp pháp khác theo quy định của pháp luật.",
    "Tiếp tục rà soát, chuẩn hóa quy trình nội bộ, quy trình điện tử trong giải quyết công "
    "việc; tăng cường sử dụng hệ thống quản lý văn bản và điều hành, chữ ký số chuyên dùng.",
    "Bảo đảm an toàn, an ninh thông tin trong quá trình vận hành các hệ thống thông tin; thực "
    "hiện sao lưu dữ liệu định kỳ, kiểm tra, khắc phục kịp thời các điểm yếu, lỗ hổng bảo mật.",
    "Đẩy mạnh công tác thông tin, tuyên truyền nhằm nâng cao nhận thức của cán bộ, công chức, "
    "viên chức và người lao động về vai trò, ý nghĩa của chuyển đổi số.",
    "Trong quá trình tổ chức thực hiện, nếu có khó khăn, vướng mắc, các đơn vị kịp thời phản "
    "ánh về Văn phòng để tổng hợp, tham mưu lãnh đạo xem xét, chỉ đạo giải quyết.",
]


HAND_GAP = "\u2003" * 3  # the blank a typist leaves for a handwritten day (3 em)


def hand_gap(digits: int) -> str:
    """The blank left for a handwritten number: room for its digits and a little more."""
    return "\u2003" * max(3, digits + 1)


@dataclass
class DocSpec:
    """One administrative document. Text is NFC Vietnamese as it should be printed.

    `number=None` prints an unfilled number (`Số:      /KH-SYT`, from `symbol_hint`);
    `date=None` an unfilled date (`ngày    tháng    năm 2024`, from `year_hint`).
    `type_name=None` makes a công văn: no type line, the title goes under the number as `V/v …`.
    Body paragraphs wrapped in `**…**` are printed bold and centred (`QUYẾT ĐỊNH:`, `Điều 1.`).
    """

    issuer: str  # issuing body, capitals; "\n" splits it over lines (ỦY BAN NHÂN DÂN\nPHƯỜNG …)
    title: str
    parent: str | None = None  # the body above the issuer, e.g. UBND THÀNH PHỐ ĐÀ NẴNG
    number: str | None = None  # "131/KH-SYT"
    symbol_hint: str | None = None  # "KH-SYT": printed after the blank of an unfilled number
    date: dt.date | None = None
    year_hint: int | None = None
    place: str = "Đà Nẵng"
    type_name: str | None = None  # "KẾ HOẠCH"; None = công văn
    body: list[str] = field(default_factory=list)
    authority: list[str] = field(default_factory=list)  # ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    signer: str | None = None
    draft: bool = False
    recipients: list[str] = field(default_factory=list)  # without the leading "- "
    addressees: list[str] = field(default_factory=list)  # "Kính gửi:" of a công văn
    pages: int = 1
    show_number: bool = True  # False: no "Số:" line at all (some internal reports)
    # Paper-signed: the typist leaves the number's digits and the day blank and the clerk writes
    # them in ink. Scans and photos draw the ink digits; a born-digital PDF keeps the blanks
    # (or has them filled by the e-office system: `make_pdf(..., eoffice=…)`).
    handwritten: bool = False
    draft_mark: str = "DỰ THẢO"  # the boxed mark of a draft: "Dự thảo lần 2", "DỰ THẢO 1"
    # Things stamped or printed over a header that carry their own number or date:
    incoming_stamp: tuple[str, str] | None = None  # the recipient's ĐẾN stamp: (register number, "23-10-2025")
    stamp_ink: tuple[int, int, int] = (200, 30, 45)  # red; purple inks survive red removal
    copy_stamp: str | None = None  # e-copy line at the top: "SAO Y; Bộ Khoa học và Công nghệ; 07/10/2025 17:22:02"
    esign_box: tuple[str, str] | None = None  # e-signature box at the top right: (signer, "10.10.2025 08:57:44 +07:00")
    urgency: str | None = None  # "HỎA TỐC", boxed under the number
    date_under_motto: bool = False  # the place-date line right under the motto, above a low number line
    # The right column's heading: the national motto, or a party or youth-union document's single
    # line (`ĐẢNG CỘNG SẢN VIỆT NAM`, `ĐOÀN TNCS HỒ CHÍ MINH`).
    motto: tuple[str, ...] = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    # What real files carry after and beside the signature block (issue 11).
    # Joint documents: the blocks printed left of this one, each (authority lines, signer).
    co_signers: list[tuple[list[str], str]] = field(default_factory=list)
    # Pages after the signature page (appendix, annex, list): each a list of rows, cells split by
    # " | "; a row without cells is a centred bold title.
    appendix: list[list[str]] = field(default_factory=list)
    appendix_landscape: bool = False
    # A second document, with its own header, number and signer, appended after this one (and
    # after its appendix). A draft one stays unsigned on scans.
    attached: DocSpec | None = None

    @property
    def number_text(self) -> str:
        if self.number is not None and self.handwritten:
            digits, symbol = self.number.split("/", 1)
            return f"Số:{hand_gap(len(digits))}/{symbol}"
        if self.number is not None:
            return f"Số: {self.number}"
        return f"Số:        /{self.symbol_hint or ''}".rstrip("/")

    @property
    def date_text(self) -> str:
        if self.date is not None:
            d = self.date
            day = HAND_GAP if self.handwritten else f"{d.day:02d}"
            month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
            return f"{self.place}, ngày {day} tháng {month} năm {d.year}"
        year = self.year_hint or 2024
        return f"{self.place}, ngày      tháng      năm {year}"

    @property
    def issuer_lines(self) -> list[str]:
        return self.issuer.split("\n")

    @property
    def seal_text(self) -> str:
        return " ".join(self.issuer_lines) + " * " + (self.parent or "ĐÀ NẴNG") + " * "


# ---------------------------------------------------------------------------- fonts and text


_registered = False


def _register_fonts() -> None:
    global _registered
    if _registered:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for key, file in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(_PDF_FONTS[key], str(FONT_DIR / file)))
    _registered = True


def _width(text: str, style: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    _register_fonts()
    return stringWidth(text, _PDF_FONTS[style], size)


def _fit(text: str, style: str, size: float, width: float, floor: float = 11.0) -> float:
    """The largest size <= `size` (down to `floor`) at which `text` fits in `width`."""
    while size > floor and _width(text, style, size) > width:
        size -= 0.25
    return size


def _wrap(text: str, style: str, size: float, width: float, indent: float = 0.0) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        room = width - (indent if not lines else 0.0)
        if current and _width(trial, style, size) > room:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


# ---------------------------------------------------------------------------- PDF layout


@dataclass
class _Op:
    """One thing to draw, in points from the page's top-left corner."""

    kind: str  # text | line | rect
    x: float
    y: float
    text: str = ""
    style: str = "R"
    size: float = BODY_SIZE
    align: str = "left"  # left | center
    x2: float = 0.0
    y2: float = 0.0
    color: tuple[int, int, int] | None = None  # RGB 0-255; None = black


@dataclass
class Layout:
    """Where things landed: the scan and photo writers put the signature and seal from this."""

    pages: int
    sig_page: int  # 0-based
    sig_top: float  # top of the authority lines (points from top)
    name_y: float  # baseline of the signer's name
    name_width: float
    sig_cx: float = SIG_CX
    # Handwritten fill-ins on page 1: (which: number | day, centre x, baseline y, digits) in points.
    ink: list[tuple[str, float, float, str]] = field(default_factory=list)
    # Further signatures to ink on scans: (page, centre x, name baseline, name width, seal text)
    # of co-signers and of an attached signed document.
    signatures: list[tuple[int, float, float, float, str]] = field(default_factory=list)
    sizes: list[tuple[float, float]] = field(default_factory=list)  # per page; empty: all A4 portrait


@dataclass
class _Block:
    height: float
    ops: list[_Op]  # y relative to the block's top
    keep_gap: float = 0.0


def _text(
    x: float, y: float, text: str, style: str = "R", size: float = BODY_SIZE, align: str = "left"
) -> _Op:
    return _Op("text", x, y, text=text, style=style, size=size, align=align)


def _header_ops(spec: DocSpec) -> tuple[list[_Op], float]:
    """The header table; returns the ops and the y where the header ends."""
    ops: list[_Op] = []
    lcx = sum(HDR_L) / 2
    lw = HDR_L[1] - HDR_L[0]
    rcx = sum(HDR_R) / 2
    rw = HDR_R[1] - HDR_R[0]
    y = TOP + 13
    if spec.draft:
        w = _width(spec.draft_mark, "B", 12) + 16
        ops.append(_Op("rect", lcx - w / 2, TOP - 30, x2=lcx + w / 2, y2=TOP - 10))
        ops.append(_text(lcx, TOP - 15, spec.draft_mark, "B", 12, "center"))
    if spec.parent:
        ops.append(_text(lcx, y, spec.parent, "R", _fit(spec.parent, "R", 12.5, lw), "center"))
        y += 15.5
    last_w = 0.0
    for line in spec.issuer_lines:
        size = _fit(line, "B", 12.5, lw)
        ops.append(_text(lcx, y, line, "B", size, "center"))
        last_w = _width(line, "B", size)
        y += 15.5
    rule = max(50.0, min(last_w * 0.45, 110.0))
    ops.append(_Op("line", lcx - rule / 2, y - 11, x2=lcx + rule / 2, y2=y - 11))
    number_y = y + 12
    left_end = number_y
    if spec.show_number:
        ops.append(_text(lcx, number_y, spec.number_text, "R", 13, "center"))
        if spec.handwritten and spec.number:
            digits = spec.number.split("/", 1)[0]
            ops.append(_ink_op(lcx, number_y, spec.number_text, "Số:", "R", 13, digits, hand_gap(len(digits))))
    if spec.type_name is None:
        vv = _wrap(f"V/v {spec.title}", "R", 12, lw - 20)
        for i, line in enumerate(vv):
            ops.append(_text(lcx, number_y + 17 + i * 14.5, line, "R", 12, "center"))
        left_end = number_y + 17 + (len(vv) - 1) * 14.5
    motto = spec.motto[0]
    ops.append(_text(rcx, TOP + 13, motto, "B", _fit(motto, "B", 12, rw), "center"))
    under = spec.motto[-1]
    if len(spec.motto) > 1:
        ops.append(_text(rcx, TOP + 28.5, under, "B", 13, "center"))
    uy, uw = (TOP + 32, _width(under, "B", 13)) if len(spec.motto) > 1 else (TOP + 16.5, _width(under, "B", 12))
    ops.append(_Op("line", rcx - uw / 2, uy, x2=rcx + uw / 2, y2=uy))
    date_y = TOP + 56 if spec.date_under_motto else max(number_y, TOP + 56)
    date_size = _fit(spec.date_text, "I", 13, rw)
    ops.append(_text(rcx, date_y, spec.date_text, "I", date_size, "center"))
    if spec.handwritten and spec.date:
        before = spec.date_text.split(HAND_GAP)[0]
        ops.append(_ink_op(rcx, date_y, spec.date_text, before + " ", "I", date_size, str(spec.date.day), HAND_GAP))
    if spec.urgency:
        left_end += 24
        w = _width(spec.urgency, "B", 13) + 12
        ops.append(_Op("rect", lcx - w / 2, left_end - 14, x2=lcx + w / 2, y2=left_end + 5))
        ops.append(_text(lcx, left_end, spec.urgency, "B", 13, "center"))
    ops += _stamp_ops(spec, max(left_end, date_y))
    return ops, max(left_end, date_y)


def _stamp_ops(spec: DocSpec, header_end: float) -> list[_Op]:
    """Stamps and boxes that other systems put on a finished document, each with a number or a
    date of its own: the recipient's ĐẾN stamp at the left under the header, where it runs into
    the start of a long title or of `Kính gửi`; an e-copy line and an e-signature box at the
    top."""
    ops: list[_Op] = []
    if spec.incoming_stamp:
        ink = spec.stamp_ink
        x0, y0 = 24.0, header_end + 14
        ops.append(_Op("rect", x0, y0, x2=x0 + 150, y2=y0 + 66, color=ink))
        register, when = spec.incoming_stamp
        rows = [("UBND TỈNH LÂM ĐỒNG", "B", 8.5), ("ĐẾN", "B", 13), (f"Số: {register}", "R", 10),
                (f"Ngày: {when}", "R", 10), ("Chuyển: P.NC", "R", 9)]  # fmt: skip
        y = y0 + 11
        for text, style, size in rows:
            ops.append(_Op("text", x0 + 75, y, text=text, style=style, size=size, align="center", color=ink))
            y += size + 3.5
    if spec.copy_stamp:
        ops.append(_Op("text", HDR_R[1], TOP - 32, text=spec.copy_stamp, style="R", size=8, align="right", color=(200, 30, 45)))
    if spec.esign_box:
        who, when = spec.esign_box
        x0, y0 = HDR_R[1] - 175, 4.0
        ops.append(_Op("rect", x0, y0, x2=HDR_R[1], y2=y0 + 40, color=(200, 30, 45)))
        for k, text in enumerate((f"Người ký: {who}", "Email: vanthu@danang.gov.vn", "Cơ quan: Văn phòng", f"Thời gian ký: {when}")):
            ops.append(_Op("text", x0 + 4, y0 + 9 + k * 9.5, text=text, style="R", size=7, color=(200, 30, 45)))
    return ops


def _ink_op(cx: float, y: float, line: str, before: str, style: str, size: float, digits: str, gap: str) -> _Op:
    """Digits written by hand into the blank `gap` after `before` on a centred printed line."""
    left = cx - _width(line, style, size) / 2
    gap_cx = left + _width(before, style, size) + _width(gap, style, size) / 2
    return _Op("ink", gap_cx, y, digits, style="number" if before.startswith("Số") else "day")


def _heading_ops(spec: DocSpec, y: float) -> tuple[list[_Op], float]:
    """Type line and trích yếu (or `Kính gửi:` for a công văn)."""
    ops: list[_Op] = []
    if spec.type_name is not None:
        y += 34
        ops.append(_text(TEXT_CX, y, spec.type_name, "B", 14, "center"))
        for line in _wrap(spec.title, "B", 13.5, 400):
            y += 18
            ops.append(_text(TEXT_CX, y, line, "B", 13.5, "center"))
        ops.append(_Op("line", TEXT_CX - 55, y + 7, x2=TEXT_CX + 55, y2=y + 7))
        return ops, y + 16
    if spec.addressees:
        y += 34
        if len(spec.addressees) == 1:
            ops.append(_text(TEXT_CX, y, f"Kính gửi: {spec.addressees[0]}.", "R", 13, "center"))
        else:
            ops.append(_text(LEFT + 90, y, "Kính gửi:", "R", 13))
            for i, who in enumerate(spec.addressees):
                end = "." if i == len(spec.addressees) - 1 else ";"
                ops.append(_text(LEFT + 160, y, f"- {who}{end}", "R", 13))
                y += BODY_LEAD
            y -= BODY_LEAD
    return ops, y + 8


def _paragraph_blocks(text: str) -> list[_Block]:
    width = RIGHT - LEFT
    if text.startswith("**") and text.endswith("**"):
        inner = text[2:-2]
        return [
            _Block(BODY_LEAD, [_text(TEXT_CX, BODY_LEAD - 4, line, "B", BODY_SIZE, "center")])
            for line in _wrap(inner, "B", BODY_SIZE, width)
        ]
    blocks = []
    for i, line in enumerate(_wrap(text, "R", BODY_SIZE, width, indent=28)):
        x = LEFT + (28 if i == 0 else 0)
        blocks.append(_Block(BODY_LEAD, [_text(x, BODY_LEAD - 4, line, "R", BODY_SIZE)]))
    blocks[-1].height += 4
    return blocks


def _signature_block(spec: DocSpec) -> tuple[_Block, float, float]:
    """Signature (right) and `Nơi nhận:` (left) side by side; returns block, name y, name width."""
    ops: list[_Op] = []
    y = 16.0
    for line in spec.authority:
        ops.append(_text(SIG_CX, y, line, "B", _fit(line, "B", 13, 250), "center"))
        y += 16
    name_y = y + 74
    name_w = 0.0
    if spec.signer:
        ops.append(_text(SIG_CX, name_y, spec.signer, "B", 13.5, "center"))
        name_w = _width(spec.signer, "B", 13.5)
    ry = 16.0
    if spec.recipients:
        ops.append(_text(LEFT - 15, ry, "Nơi nhận:", "BI", 12))
        for item in spec.recipients:
            for j, line in enumerate(_wrap(f"- {item}", "R", 11, 190)):
                ry += 13.5
                ops.append(_text(LEFT - 15 + (6 if j else 0), ry, line, "R", 11))
    return _Block(max(name_y, ry) + 8, ops, keep_gap=12), name_y, name_w


def _paginate(spec: DocSpec, filler: int) -> tuple[list[list[_Op]], Layout]:
    header, y = _header_ops(spec)
    heading, y = _heading_ops(spec, y)
    pages: list[list[_Op]] = [header + heading]
    y += 6
    body = list(spec.body)
    for i in range(filler):
        body.append(FILLER[i % len(FILLER)])
    blocks = [b for para in body for b in _paragraph_blocks(para)]
    sig, name_rel, name_w = _signature_block(spec)
    sig_cx, others = SIG_CX, []
    if spec.co_signers:
        sig, name_rel, name_w, sig_cx, others = _joint_signature_block(spec)
    blocks.append(sig)
    sig_page, sig_top = 0, 0.0
    for block in blocks:
        top = y + block.keep_gap
        if top + block.height > BOTTOM:
            pages.append([_text(TEXT_CX, TOP - 12, str(len(pages) + 1), "R", 12, "center")])
            top = TOP + 8
        for op in block.ops:
            pages[-1].append(_shift(op, top))
        y = top + block.height
        if block is sig:
            sig_page, sig_top = len(pages) - 1, top
    layout = Layout(
        pages=len(pages),
        sig_page=sig_page,
        sig_top=sig_top,
        name_y=sig_top + name_rel,
        name_width=name_w,
        sig_cx=sig_cx,
        ink=[(op.style, op.x, op.y, op.text) for op in pages[0] if op.kind == "ink"],
        signatures=[(sig_page, cx, sig_top + name_rel, width, spec.seal_text) for cx, width in others],
    )
    return pages, layout


def _shift(op: _Op, dy: float) -> _Op:
    return _Op(op.kind, op.x, op.y + dy, op.text, op.style, op.size, op.align, op.x2, op.y2 + dy, op.color)


def _layout(spec: DocSpec) -> tuple[list[list[_Op]], Layout]:
    filler = 0
    pages, layout = _paginate(spec, filler)
    # Pad with routine paragraphs until the requested page count is reached without leaving the
    # signature block alone on its page (real documents never end that way).
    while (
        filler < 60 and spec.pages > 1 and (layout.pages < spec.pages or _signature_alone(layout))
    ):
        filler += 1
        pages, layout = _paginate(spec, filler)
    if spec.appendix or spec.attached:
        pages, layout = _append_after_signature(spec, pages, layout)
    return pages, layout


def _joint_signature_block(spec: DocSpec) -> tuple[_Block, float, float, float, list[tuple[float, float]]]:
    """Joint documents: the blocks side by side across the page, the main one right-most, each
    drawn as a column (as Word exports table cells), `Nơi nhận:` below them. Returns the block,
    the name's y, the main name's width and centre, and (centre, name width) of the others."""
    blocks = [*spec.co_signers, (spec.authority, spec.signer or "")]
    left = LEFT - 30
    column = (RIGHT - left) / len(blocks)
    name_y = 16.0 + 16 * max(len(authority) for authority, _ in blocks) + 58
    ops: list[_Op] = []
    spots: list[tuple[float, float]] = []
    for i, (authority, signer) in enumerate(blocks):
        cx = left + column * (i + 0.5)
        for k, line in enumerate(authority):
            ops.append(_text(cx, 16.0 + 16 * k, line, "B", _fit(line, "B", 12.5, column - 10, floor=8), "center"))
        if signer:
            ops.append(_text(cx, name_y, signer, "B", 13, "center"))
        spots.append((cx, _width(signer, "B", 13)))
    ry = name_y + 30
    if spec.recipients:
        ops.append(_text(LEFT - 15, ry, "Nơi nhận:", "BI", 12))
        for item in spec.recipients:
            ry += 13.5
            ops.append(_text(LEFT - 15, ry, f"- {item}", "R", 11))
    main_cx, main_w = spots[-1]
    return _Block(ry + 8, ops, keep_gap=12), name_y, main_w, main_cx, spots[:-1]


def _appendix_page(rows: list[str], size: tuple[float, float]) -> list[_Op]:
    """One page of an appendix: centred bold titles and table rows with ruled lines."""
    width = size[0]
    left, right = 50.0, width - 40.0
    ops: list[_Op] = []
    y = TOP + 10
    for row in rows:
        cells = row.split(" | ")
        if len(cells) == 1:
            ops.append(_text(width / 2, y, row, "B", 13, "center"))
            y += 20
            continue
        cell_w = (right - left) / len(cells)
        for k, cell in enumerate(cells):
            ops.append(_text(left + k * cell_w + 4, y, cell, "R", _fit(cell, "R", 11.5, cell_w - 8, floor=7)))
        ops.append(_Op("line", left, y + 5, x2=right, y2=y + 5))
        y += 19
    return ops


def _append_after_signature(spec: DocSpec, pages: list[list[_Op]], layout: Layout) -> tuple[list[list[_Op]], Layout]:
    """The appendix pages, then the attached document's pages, after the signed ones."""
    sizes = list(layout.sizes) or [(PAGE_W, PAGE_H)] * len(pages)
    for rows in spec.appendix:
        size = (PAGE_H, PAGE_W) if spec.appendix_landscape else (PAGE_W, PAGE_H)
        pages.append(_appendix_page(rows, size))
        sizes.append(size)
    signatures = list(layout.signatures)
    attached = spec.attached
    if attached is not None:
        more, inner = _layout(attached)
        offset = len(pages)
        pages.extend(more)
        sizes.extend(inner.sizes or [(PAGE_W, PAGE_H)] * len(more))
        if attached.signer and not attached.draft:
            signatures.append((offset + inner.sig_page, inner.sig_cx, inner.name_y, inner.name_width, attached.seal_text))
        signatures += [(offset + p, cx, y, w, text) for p, cx, y, w, text in inner.signatures]
    return pages, replace(layout, pages=len(pages), signatures=signatures, sizes=sizes)


def _signature_alone(layout: Layout) -> bool:
    return layout.sig_page > 0 and layout.sig_top <= TOP + 8 + 12.5


def _draw(spec: DocSpec, path: Path, *, eoffice: str | None = None, words_apart: bool = False) -> Layout:
    from reportlab.pdfgen import canvas

    _register_fonts()
    pages, layout = _layout(spec)
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle(spec.title)
    c.setAuthor(" ".join(spec.issuer_lines).title())
    c.setCreator("Hệ thống quản lý văn bản và điều hành")
    for i, ops in enumerate(pages):
        size = layout.sizes[i] if layout.sizes else (PAGE_W, PAGE_H)
        c.setPageSize(size)
        for op in ops:
            if words_apart and op.kind == "text" and not op.color:
                _draw_words_apart(c, op, size[1])
            else:
                _draw_op(c, op, size[1])
        if eoffice:
            for op in ops:
                if op.kind == "ink":
                    _eoffice_digits(c, op, eoffice, size[1])
        c.showPage()
    c.save()
    return layout


def _draw_words_apart(c, op: _Op, page_h: float = PAGE_H) -> None:
    """A line the way OCR'd exports (ABBYY FineReader) write it: each word placed on its own,
    no space characters, letters set tighter than the font's spacing (negative character
    spacing) and words a narrow gap apart - too narrow for pdfium to see a space."""
    c.setFont(_PDF_FONTS[op.style], op.size)
    tight, gap = -0.07 * op.size, 0.2 * op.size
    words = op.text.split(" ")
    width = sum(_width(w, op.style, op.size) + tight * len(w) for w in words) + gap * (len(words) - 1)
    x = op.x - width / 2 if op.align == "center" else op.x - width if op.align == "right" else op.x
    for word in words:
        text = c.beginText(x, page_h - op.y)
        text.setCharSpace(tight)
        text.textOut(word)
        c.drawText(text)
        x += _width(word, op.style, op.size) + tight * len(word) + gap


def _eoffice_digits(c, op: _Op, how: str, page_h: float = PAGE_H) -> None:
    """The number or day an e-office system writes into the blank when the document is issued,
    in its own font: drawn after everything else on the page (`overlay`), or as a form widget
    whose appearance shows the digits (`widget`, as signature-stamping tools do)."""
    if how == "overlay":
        c.setFont("Helvetica", 12.5)
        c.drawCentredString(op.x, page_h - op.y, op.text)
    elif how == "widget":
        w = _width(op.text, "R", 12.5) + 8
        c.acroForm.textfield(
            name=f"so_{op.style}", value=op.text, x=op.x - w / 2, y=page_h - op.y - 3, width=w, height=15,
            borderWidth=0, fontName="Helvetica", fontSize=12, fillColor=None, borderColor=None,
        )  # fmt: skip
    else:
        raise ValueError(f"eoffice: overlay or widget, not {how!r}")


def _draw_op(c, op: _Op, page_h: float = PAGE_H) -> None:
    if op.color:  # only then: black documents keep the bytes they always had
        c.saveState()
        c.setFillColorRGB(*(v / 255 for v in op.color))
        c.setStrokeColorRGB(*(v / 255 for v in op.color))
        _draw_op(c, _Op(op.kind, op.x, op.y, op.text, op.style, op.size, op.align, op.x2, op.y2), page_h)
        c.restoreState()
        return
    if op.kind == "text":
        c.setFont(_PDF_FONTS[op.style], op.size)
        if op.align == "center":
            c.drawCentredString(op.x, page_h - op.y, op.text)
        elif op.align == "right":
            c.drawRightString(op.x, page_h - op.y, op.text)
        else:
            c.drawString(op.x, page_h - op.y, op.text)
    elif op.kind == "line":
        c.setLineWidth(0.6)
        c.line(op.x, page_h - op.y, op.x2, page_h - op.y2)
    elif op.kind == "rect":
        c.setLineWidth(1)
        c.rect(op.x, page_h - op.y2, op.x2 - op.x, op.y2 - op.y)


def make_pdf(spec: DocSpec, path: str | Path, *, eoffice: str | None = None, words_apart: bool = False) -> Path:
    """A born-digital PDF with a text layer (fonts embedded). With a `handwritten` spec,
    `eoffice` fills the blanks as e-office systems do when issuing: "overlay" or "widget".
    `words_apart`: every word placed on its own without space characters (OCR'd exports)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _draw(spec, path, eoffice=eoffice, words_apart=words_apart)
    return path


# ---------------------------------------------------------------------------- raster helpers


def _render_pages(spec: DocSpec, dpi: float) -> tuple[list[Image.Image], Layout]:
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = Path(tmp) / "doc.pdf"
        layout = _draw(spec, pdf_path)
        pdf = pdfium.PdfDocument(str(pdf_path))
        try:
            images = [
                pdf[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(pdf))
            ]
        finally:
            pdf.close()
    return images, layout


def _font(style: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / _FONT_FILES[style]), px)


def _multiply(base: Image.Image, layer: Image.Image) -> Image.Image:
    """Ink on paper: a coloured RGBA layer darkens what is under it and never lightens black."""
    b = np.asarray(base, dtype=np.float32)
    lay = np.asarray(layer, dtype=np.float32)
    alpha = lay[..., 3:4] / 255.0
    tinted = b * (lay[..., :3] / 255.0)
    out = b * (1 - alpha) + tinted * alpha
    return Image.fromarray(out.clip(0, 255).astype(np.uint8))


def _signature_and_seal(
    img: Image.Image, spec: DocSpec, layout: Layout, scale: float, rng: random.Random, seal: bool
) -> Image.Image:
    """A blue handwritten signature over the signing space and a red seal over its left third."""
    spot = (layout.sig_cx, layout.name_y, layout.name_width, spec.seal_text)
    return _ink_signature(img, spot, scale, rng, signed=bool(spec.signer), seal=seal)


def _ink_signature(
    img: Image.Image, spot: tuple[float, float, float, str], scale: float, rng: random.Random, *, signed: bool, seal: bool
) -> Image.Image:
    """Signature and seal at `spot` = (block centre x, name baseline, name width, seal text)."""
    sig_cx, name_y, name_width, seal_text = spot
    layer = Image.new("RGBA", img.size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(layer)
    cx = sig_cx * scale
    cy = (name_y - 40) * scale
    if signed:
        pts = []
        for i in range(60):
            t = i / 59
            x = cx - 55 * scale + 110 * scale * t
            y = cy + math.sin(t * math.pi * (3 + rng.random())) * 14 * scale * (1 - t * 0.5)
            pts.append((x, y + rng.uniform(-1, 1) * scale))
        draw.line(pts, fill=(25, 45, 150, 230), width=max(2, int(1.6 * scale)))
    if seal:
        name_left = sig_cx - max(name_width, 110) / 2
        scx, scy = (name_left + 8) * scale, (name_y - 46) * scale
        _draw_seal(layer, scx, scy, 56 * scale, seal_text, rng)
    return _multiply(img, layer)


def _scrawl_over_name(img: Image.Image, layout: Layout, scale: float, rng: random.Random) -> Image.Image:
    """Dense ink loops over the signer's name: a signature written across it, beyond reading."""
    layer = Image.new("RGBA", img.size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(layer)
    width = max(layout.name_width, 110) * scale
    x = layout.sig_cx * scale - width / 2
    for k in range(3):
        _scrawl(draw, x, (layout.name_y - 16 + 3 * k) * scale, width, 18 * scale, (15, 25, 90, 255), rng)
    return _multiply(img, layer)


def _further_signatures(img: Image.Image, layout: Layout, page: int, scale: float, rng: random.Random, seal: bool) -> Image.Image:
    """Co-signers' blocks and an attached document's signature on this page, inked like the main one."""
    for on_page, cx, name_y, width, seal_text in layout.signatures:
        if on_page == page:
            img = _ink_signature(img, (cx, name_y, width, seal_text), scale, rng, signed=True, seal=seal)
    return img


# Digits as a clerk writes them: one or two pen strokes each, in a unit box (x right, y down).
_DIGIT_STROKES: dict[str, list[list[tuple[float, float]]]] = {
    "0": [[(0.5, 0.0), (0.15, 0.2), (0.08, 0.55), (0.25, 0.95), (0.6, 1.0), (0.88, 0.7), (0.85, 0.25), (0.55, 0.0)]],
    "1": [[(0.2, 0.25), (0.55, 0.0), (0.5, 1.0)]],
    "2": [[(0.1, 0.25), (0.35, 0.02), (0.72, 0.05), (0.82, 0.3), (0.6, 0.6), (0.08, 1.0), (0.95, 0.97)]],
    "3": [[(0.12, 0.12), (0.5, 0.0), (0.82, 0.18), (0.45, 0.47), (0.85, 0.68), (0.55, 1.0), (0.1, 0.88)]],
    "4": [[(0.55, 0.0), (0.08, 0.68), (0.95, 0.68)], [(0.68, 0.3), (0.66, 1.0)]],
    "5": [[(0.88, 0.0), (0.25, 0.02), (0.18, 0.45), (0.6, 0.38), (0.9, 0.68), (0.6, 1.0), (0.1, 0.9)]],
    "6": [[(0.78, 0.02), (0.35, 0.2), (0.12, 0.62), (0.35, 1.0), (0.75, 0.92), (0.82, 0.62), (0.5, 0.48), (0.15, 0.65)]],
    "7": [[(0.05, 0.05), (0.92, 0.02), (0.4, 1.0)]],
    "8": [[(0.55, 0.48), (0.18, 0.25), (0.5, 0.0), (0.82, 0.22), (0.5, 0.48), (0.12, 0.76), (0.5, 1.0), (0.88, 0.76), (0.55, 0.48)]],
    "9": [[(0.82, 0.3), (0.5, 0.5), (0.15, 0.3), (0.45, 0.0), (0.82, 0.12), (0.8, 0.45), (0.65, 1.0)]],
}


def _smooth(points: list[tuple[float, float]], steps: int = 6) -> list[tuple[float, float]]:
    """Catmull-Rom through the stroke's points: a pen's curve, not a polygon."""
    pts = [points[0], *points, points[-1]]
    out = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(steps):
            t = k / steps
            out.append(
                tuple(
                    0.5 * (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t * t + (-a + 3 * b - 3 * c + d) * t**3)
                    for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
                )
            )
    out.append(points[-1])
    return out


def _scrawl(draw: ImageDraw.ImageDraw, x: float, top: float, width: float, height: float, ink, rng: random.Random) -> None:
    """Ink no reader can make out: loops written over each other."""
    pts = []
    for i in range(40):
        t = i / 39
        pts.append((x + width * t + math.sin(t * 19) * width * 0.12, top + height * (0.5 + 0.45 * math.sin(t * 23 + rng.random()))))
    draw.line(pts, fill=ink, width=3, joint="curve")


def _handwrite(img: Image.Image, layout: Layout, scale: float, rng: random.Random, illegible: tuple[str, ...] = ()) -> Image.Image:
    """The clerk's ink digits in the blanks of page 1: blue ballpoint, slanted, uneven, a little
    larger than the print and not quite on its line. `illegible` names the fill-ins ("number",
    "day") scrawled beyond reading."""
    if not layout.ink:
        return img
    layer = Image.new("RGBA", img.size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(layer)
    ink = (20 + rng.randrange(20), 40 + rng.randrange(30), 140 + rng.randrange(50), 235)
    for name, cx, baseline, digits in layout.ink:
        height = rng.uniform(13, 17) * scale
        width = height * rng.uniform(0.55, 0.68)
        pitch = width * rng.uniform(1.0, 1.2)
        slant = rng.uniform(0.1, 0.3)
        x = cx * scale - pitch * len(digits) / 2
        top = baseline * scale - height + rng.uniform(-2, 3) * scale
        if name in illegible:
            _scrawl(draw, x, top, pitch * len(digits), height, ink, rng)
            continue
        for ch in digits:
            h = height * rng.uniform(0.9, 1.08)
            for stroke in _DIGIT_STROKES[ch]:
                pts = [(u + rng.uniform(-0.04, 0.04), v + rng.uniform(-0.03, 0.03)) for u, v in stroke]
                path = [(x + u * width + (1 - v) * h * slant, top + v * h) for u, v in _smooth(pts)]
                draw.line(path, fill=ink, width=max(2, round(scale * rng.uniform(0.9, 1.3))), joint="curve")
            x += pitch
    return _multiply(img, layer)


def blank_crop(digits: str, *, seed: int = 0, ink: int = 40, paper: int = 255, after: str = "") -> Image.Image:
    """A blank's crop as the second reader gets it: the printed dots a typist leaves, the clerk's
    digits written over them (an empty blank when `digits` is ""), and `after`, print that ends
    the blank (the number's `/`). `ink` and `paper` are grey levels: a grey photocopy has ink at
    ~120 on paper at ~215."""
    rng = random.Random(seed)
    img = Image.new("L", (40 + 26 * max(len(digits), 2) + 20 * len(after), 76), paper)
    draw = ImageDraw.Draw(img)
    for x in range(10, img.width - 10 - 20 * len(after), 7):  # the typist's dots
        draw.ellipse((x, 58, x + 2, 60), fill=ink)
    x, height = 18.0, 40.0
    for ch in digits:
        h = height * rng.uniform(0.9, 1.05)
        for stroke in _DIGIT_STROKES[ch]:
            pts = [(u + rng.uniform(-0.04, 0.04), v + rng.uniform(-0.03, 0.03)) for u, v in stroke]
            path = [(x + u * h * 0.6 + (1 - v) * h * 0.2, 16 + v * h) for u, v in _smooth(pts)]
            draw.line(path, fill=ink, width=3, joint="curve")
        x += h * 0.7
    if after:
        draw.text((x + 8, 22), after, fill=ink, font=_font("R", 30))
    return img.convert("RGB")


def _draw_seal(
    layer: Image.Image, cx: float, cy: float, r: float, text: str, rng: random.Random
) -> None:
    red = (205, 30, 45, int(255 * rng.uniform(0.72, 0.85)))
    draw = ImageDraw.Draw(layer)
    w = max(2, int(r * 0.05))
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=red, width=w)
    ri = r * 0.66
    draw.ellipse([cx - ri, cy - ri, cx + ri, cy + ri], outline=red, width=max(1, w // 2))
    # A five-pointed star in the middle.
    star = []
    for k in range(10):
        rr = r * (0.28 if k % 2 == 0 else 0.11)
        a = -math.pi / 2 + k * math.pi / 5
        star.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    draw.polygon(star, fill=red)
    # Capital letters round the ring, each drawn upright then rotated into place.
    font = _font("B", max(8, int(r * 0.2)))
    n = len(text)
    for i, ch in enumerate(text):
        a = -math.pi / 2 - math.pi * 0.95 + 2 * math.pi * 0.95 * i / n
        tile = Image.new("RGBA", (int(r * 0.3), int(r * 0.3)), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text(
            (tile.width / 2, tile.height / 2), ch, font=font, fill=red, anchor="mm"
        )
        tile = tile.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        rt = r * 0.83
        x, y = cx + rt * math.cos(a), cy + rt * math.sin(a)
        layer.alpha_composite(tile, (int(x - tile.width / 2), int(y - tile.height / 2)))


def _paper(
    img: Image.Image,
    nprng: np.random.Generator,
    *,
    paper: float,
    ink: float,
    tint: tuple[float, float, float],
    shade: float = 0.0,
) -> Image.Image:
    """Map white to a paper tone with gentle low-frequency variation and black to ink."""
    grey = np.asarray(img.convert("L"), dtype=np.float32) / 255.0
    h, w = grey.shape
    coarse = nprng.normal(0, 1, (max(2, h // 150), max(2, w // 150))).astype(np.float32)
    blotch = np.asarray(Image.fromarray(coarse).resize((w, h), Image.BICUBIC), dtype=np.float32)
    level = paper + blotch * 3.0
    if shade:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        level = level * (1 - shade * ((xx / w) * 0.6 + (yy / h) * 0.4))
    v = ink + (level - ink) * grey
    rgb = np.stack([v * tint[0], v * tint[1], v * tint[2]], axis=-1)
    return Image.fromarray(rgb.clip(0, 255).astype(np.uint8))


def _noise(img: Image.Image, nprng: np.random.Generator, sigma: float) -> Image.Image:
    if sigma <= 0:
        return img
    arr = np.asarray(img, dtype=np.float32)
    arr = arr + nprng.normal(0, sigma, arr.shape[:2])[..., None]
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


# ---------------------------------------------------------------------------- scans and photos


def make_scan_pdf(
    spec: DocSpec,
    path: str | Path,
    *,
    dpi: int = 200,
    seed: int = 0,
    seal: bool = True,
    skew_deg: float = 0.4,
    noise: float = 3.0,
    quality: int = 45,
    illegible: tuple[str, ...] = (),
    ocr_layer: str | None = None,
    bilevel: bool = False,
) -> Path:
    """An office scan: image-only PDF (no text layer), one JPEG per page. With a `handwritten`
    spec, `illegible` scrawls the "number" or "day" fill-in beyond reading; "name" scrawls over
    the signer's printed name (a signature written across it). `ocr_layer` adds the invisible
    text layer scanner software leaves from its own OCR: "garbled" (OmniPage-like: look-alike
    letters, lost marks, stray symbols) or "unmarked" (every diacritic lost). `bilevel` scans in
    black and white, as the Government portal's copies are: the red seal turns black over the
    signer's name, where removing red no longer helps."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    images, layout = _render_pages(spec, dpi)
    out = []
    for i, img in enumerate(images):
        img = _paper(img, nprng, paper=rng.uniform(226, 236), ink=28, tint=(1.0, 0.995, 0.975))
        if i == 0:
            img = _handwrite(img, layout, dpi / 72, rng, illegible)
        if i == layout.sig_page:
            img = _signature_and_seal(img, spec, layout, dpi / 72, rng, seal)
            if "name" in illegible:
                img = _scrawl_over_name(img, layout, dpi / 72, rng)
        img = _further_signatures(img, layout, i, dpi / 72, rng, seal)
        angle = skew_deg * (1 if rng.random() < 0.5 else -1) * rng.uniform(0.7, 1.0)
        img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=(232, 231, 226))
        img = _noise(img, nprng, noise)
        if bilevel:
            img = img.convert("L").point(lambda v: 255 if v > 150 else 0).convert("RGB")
        out.append(img)
    if ocr_layer:
        return _scan_with_layer(spec, out, path, quality=quality, how=ocr_layer, rng=rng)
    stamp = time.struct_time((*FIXED_TIME, 0, 1, -1))
    out[0].save(
        path,
        "PDF",
        save_all=True,
        append_images=out[1:],
        resolution=float(dpi),
        quality=quality,
        title=path.stem,
        creator="Canon DR-C225 II",
        producer="CaptureOnTouch",
        creationDate=stamp,
        modDate=stamp,
    )
    return path


# What scanner OCR makes of Vietnamese letters it does not know (seen in OmniPage and Adobe Scan
# layers: `S& 5?AD /UBND-SGDDT`, `CONG HOA xA HQI CilU NGHIA`).
_OCR_LOOKALIKES = {
    "ô": "6", "ố": "6", "ộ": "Q", "Ộ": "Q", "ơ": "o", "ư": "u", "Ư": "U", "đ": "d", "Đ": "D", "ă": "&", "ệ": "V",
    "Ệ": "V", "ạ": "p", "ủ": "iJ", "Ủ": "iJ", "ũ": "i", "ậ": "?", "o": "0", "i": "l", "n": "ri", "h": "li", "m": "rn",
}  # fmt: skip


def _strip_marks(word: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def garble(text: str, rng: random.Random, *, how: str = "garbled") -> str:
    """`text` as a scanner's OCR layer has it. "unmarked": every diacritic lost; "garbled": most
    marks lost and a look-alike letter, a stray symbol or a flipped case in many words."""
    words = []
    for word in text.split():
        if how == "garbled" and rng.random() < 0.5:
            k = rng.randrange(len(word))
            ch = word[k]
            swap = _OCR_LOOKALIKES.get(ch) or rng.choice(["?", "&", ch.swapcase(), "5", "Ñ"])
            word = word[:k] + swap + word[k + 1 :]
        if how == "unmarked" or rng.random() < 0.65:
            word = _strip_marks(word)
        words.append(word)
    return " ".join(words)


def _scan_with_layer(spec: DocSpec, images: list[Image.Image], path: Path, *, quality: int, how: str, rng: random.Random) -> Path:
    """The scan's pages as images under an invisible text layer (render mode 3), as OCR'd PDFs
    from scanner software are made."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    _register_fonts()
    pages, _ = _layout(spec)
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setProducer("OmniPage CSDK 21")
    for img, ops in zip(images, pages, strict=True):
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality)
        c.drawImage(ImageReader(buf), 0, 0, PAGE_W, PAGE_H)
        for op in ops:
            if op.kind != "text":
                continue
            layer = c.beginText()
            layer.setTextRenderMode(3)
            layer.setFont(_PDF_FONTS["R"], op.size)
            width = _width(op.text, op.style, op.size)
            x = op.x - width / 2 if op.align == "center" else op.x - width if op.align == "right" else op.x
            layer.setTextOrigin(x, PAGE_H - op.y)
            layer.textOut(garble(op.text, rng, how=how))
            c.drawText(layer)
        c.showPage()
    c.save()
    return path


def _perspective_coeffs(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> list:
    """Coefficients for PIL's PERSPECTIVE transform mapping output `dst` back to input `src`."""
    rows = []
    rhs = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return list(np.linalg.solve(np.array(rows, dtype=float), np.array(rhs, dtype=float)))


def make_photo_jpeg(
    spec: DocSpec,
    path: str | Path,
    *,
    seed: int = 0,
    exif_rotate: bool = False,
    dpi: int = 180,
    seal: bool = True,
    tilt_deg: float | None = None,
    quality: int = 85,
) -> Path:
    """A phone photo of page 1 lying on a desk: warm light, slight tilt and keystone.

    With `exif_rotate` the pixels are stored turned 90° and EXIF Orientation 6 says how to turn
    them back, as phones do.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    images, layout = _render_pages(spec, dpi)
    page = _paper(
        images[0], nprng, paper=rng.uniform(238, 246), ink=40, tint=(1.0, 0.94, 0.82), shade=0.16
    )
    page = _handwrite(page, layout, dpi / 72, rng)
    if layout.sig_page == 0:
        page = _signature_and_seal(page, spec, layout, dpi / 72, rng, seal)
    pw, ph = page.size
    mx, my = int(pw * 0.05), int(ph * 0.04)
    W, H = pw + 2 * mx, ph + 2 * my
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    desk_v = 0.75 + 0.25 * (1 - yy / H)
    desk = np.stack([120 * desk_v, 92 * desk_v, 66 * desk_v], axis=-1)
    canvas = Image.fromarray(desk.astype(np.uint8))
    tilt = tilt_deg if tilt_deg is not None else rng.uniform(-1.6, 1.6)
    corners = [(0, 0), (pw, 0), (pw, ph), (0, ph)]
    cx, cy = W / 2, H / 2
    t = math.radians(tilt)
    dst = []
    for k, (x, y) in enumerate(corners):
        # Keystone: the far (top) edge a little narrower, as when the phone is held at an angle.
        dx = (x - pw / 2) * (0.975 if k < 2 else 1.0) + rng.uniform(-4, 4)
        dy = (y - ph / 2) + rng.uniform(-4, 4)
        dst.append(
            (cx + dx * math.cos(t) - dy * math.sin(t), cy + dx * math.sin(t) + dy * math.cos(t))
        )
    coeffs = _perspective_coeffs(corners, dst)
    warped = page.transform((W, H), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    mask = Image.new("L", (W, H), 0)
    ImageDraw.Draw(mask).polygon(dst, fill=255)
    canvas.paste(warped, (0, 0), mask.filter(ImageFilter.GaussianBlur(1)))
    img = canvas.filter(ImageFilter.GaussianBlur(0.5))
    img = _noise(img, nprng, 2.0)
    exif = Image.Exif()
    exif[0x010F] = "samsung"
    exif[0x0110] = "Galaxy A54 5G"
    exif[0x0132] = "2024:12:02 09:14:27"
    if exif_rotate:
        img = img.rotate(90, expand=True)  # counter-clockwise; Orientation 6 turns it back
        exif[0x0112] = 6
    else:
        exif[0x0112] = 1
    img.save(path, "JPEG", quality=quality, exif=exif.tobytes(), optimize=True)
    return path


# ---------------------------------------------------------------------------- Word


def _no_borders(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _box(paragraph) -> None:
    """A border round a paragraph: how drafts print their DỰ THẢO mark."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p_pr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "8")
        el.set(qn("w:space"), "2")
        el.set(qn("w:color"), "000000")
        bdr.append(el)
    p_pr.append(bdr)


def _para(
    container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    center: bool = False,
    indent: bool = False,
    underline: bool = False,
):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_after = Pt(0)
    fmt.space_before = Pt(0)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Pt(28)
        fmt.space_after = Pt(6)
    if text:
        run = p.add_run(text)
        run.bold = bold
        run.italic = italic
        run.underline = underline
        run.font.size = Pt(size)
    return p


def make_docx(spec: DocSpec, path: str | Path) -> Path:
    """A Word file like e-office exports: header and signature block in borderless tables."""
    from docx import Document
    from docx.shared import Mm, Pt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    if spec.draft:
        mark = _para(doc, "DỰ THẢO", bold=True, size=12)
        _box(mark)
        mark.paragraph_format.right_indent = Mm(125)
    header = doc.add_table(rows=1, cols=2)
    _no_borders(header)
    left, right = header.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    left.paragraphs[0].text = ""
    if spec.parent:
        _para(left, spec.parent, size=12.5, center=True)
    for i, line in enumerate(spec.issuer_lines):
        last = i == len(spec.issuer_lines) - 1
        _para(left, line, bold=True, size=12.5, center=True, underline=False)
        if last:
            _para(left, "-------", size=9, center=True)
    if spec.show_number:
        _para(left, spec.number_text, size=13, center=True)
    if spec.type_name is None:
        _para(left, f"V/v {spec.title}", size=12, center=True)
    right.paragraphs[0].text = ""
    for i, line in enumerate(spec.motto):
        last = i == len(spec.motto) - 1
        _para(right, line, bold=True, size=13 if i else 12, center=True, underline=last)
    _para(right, "", size=6, center=True)
    _para(right, spec.date_text, italic=True, size=13, center=True)
    for cell in (left, right):
        first = cell.paragraphs[0]
        first._p.getparent().remove(first._p)
    _para(doc, "")
    if spec.type_name is not None:
        _para(doc, spec.type_name, bold=True, size=14, center=True)
        _para(doc, spec.title, bold=True, size=14, center=True)
        _para(doc, "__________", size=10, center=True)
    elif spec.addressees:
        _para(doc, "Kính gửi: " + "; ".join(spec.addressees) + ".", size=13, center=True)
    _para(doc, "")
    body = list(spec.body) + [FILLER[i % len(FILLER)] for i in range(max(0, spec.pages - 1) * 10)]
    for text in body:
        if text.startswith("**") and text.endswith("**"):
            _para(doc, text[2:-2], bold=True, center=True)
        else:
            _para(doc, text, indent=True)
    _para(doc, "")
    if spec.co_signers:
        _docx_joint_blocks(doc, spec)
    sig = doc.add_table(rows=1, cols=2)
    _no_borders(sig)
    rec_cell, sig_cell = sig.rows[0].cells
    rec_cell.width, sig_cell.width = Mm(80), Mm(85)
    if spec.recipients:
        _para(rec_cell, "Nơi nhận:", bold=True, italic=True, size=12)
        for item in spec.recipients:
            _para(rec_cell, f"- {item}", size=11)
    for line in [] if spec.co_signers else spec.authority:
        _para(sig_cell, line, bold=True, size=13, center=True)
    for _ in range(4):
        _para(sig_cell, "", size=13)
    if spec.signer and not spec.co_signers:
        _para(sig_cell, spec.signer, bold=True, size=14, center=True)
    for cell in (rec_cell, sig_cell):
        first = cell.paragraphs[0]
        if len(cell.paragraphs) > 1:
            first._p.getparent().remove(first._p)
    _docx_after_signature(doc, spec)
    props = doc.core_properties
    props.author = props.last_modified_by = "Văn thư"
    props.title = spec.title
    props.created = props.modified = dt.datetime(*FIXED_TIME)
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_stable_zip(buf.getvalue()))
    return path


def _docx_joint_blocks(doc, spec: DocSpec) -> None:
    """Joint documents: one borderless row of signature blocks, the main one in the right cell."""
    blocks = [*spec.co_signers, (spec.authority, spec.signer or "")]
    row = doc.add_table(rows=1, cols=len(blocks))
    _no_borders(row)
    for cell, (authority, signer) in zip(row.rows[0].cells, blocks, strict=True):
        for line in authority:
            _para(cell, line, bold=True, size=12, center=True)
        for _ in range(3):
            _para(cell, "", size=13)
        _para(cell, signer, bold=True, size=13, center=True)
        first = cell.paragraphs[0]
        first._p.getparent().remove(first._p)


def _docx_after_signature(doc, spec: DocSpec) -> None:
    """The appendix rows (tab-separated cells) and an attached document, after the signature."""
    from docx.enum.text import WD_BREAK

    for rows in spec.appendix:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for row in rows:
            cells = row.split(" | ")
            _para(doc, "\t".join(cells), bold=len(cells) == 1, size=12, center=len(cells) == 1)
    attached = spec.attached
    if attached is None:
        return
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if attached.draft:
        _box(_para(doc, "DỰ THẢO", bold=True, size=12))
    for text in [*([attached.parent] if attached.parent else []), *attached.issuer_lines]:
        _para(doc, text, bold=True, size=12.5)
    _para(doc, attached.number_text, size=13)
    _para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, center=True)
    _para(doc, attached.date_text, italic=True, size=13, center=True)
    if attached.type_name:
        _para(doc, attached.type_name, bold=True, size=14, center=True)
    _para(doc, attached.title, bold=True, size=14, center=True)
    for text in attached.body:
        _para(doc, text.strip("*"), indent=True)
    for line in attached.authority:
        _para(doc, line, bold=True, size=13, center=True)
    if attached.signer:
        _para(doc, attached.signer, bold=True, size=14, center=True)


def _stable_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so that regenerated Word files are byte-identical."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            stable = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            stable.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(stable, src.read(info.filename))
    return out.getvalue()
