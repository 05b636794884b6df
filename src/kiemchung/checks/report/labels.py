"""Vietnamese words the reports print: flag codes, severities, claim statuses, groups, fields.

Kept as data in one place so the JSON, XLSX and HTML renderers say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from kiemchung.core.model import FlagCode, Review, ReviewDecision, Severity

E = TypeVar("E", bound=Enum)

FLAG_LABELS: dict[FlagCode, str] = {
    FlagCode.MISSING_FILE: "Thiếu tệp minh chứng",
    FlagCode.UNREADABLE_FILE: "Không đọc được tệp",
    FlagCode.UNSUPPORTED_FILE: "Định dạng tệp không được hỗ trợ",
    FlagCode.NUMBER_NOT_FOUND: "Không tìm thấy số, ký hiệu văn bản",
    FlagCode.NUMBER_MISMATCH: "Số, ký hiệu không khớp kê khai",
    FlagCode.DATE_NOT_FOUND: "Không tìm thấy ngày ban hành",
    FlagCode.DATE_MISMATCH: "Ngày ban hành không khớp kê khai",
    FlagCode.DATE_OUTSIDE_PERIOD: "Ban hành ngoài kỳ đánh giá",
    FlagCode.SIGNER_NOT_FOUND: "Không tìm thấy người ký",
    FlagCode.SIGNER_MISMATCH: "Người ký không khớp kê khai",
    FlagCode.SIGNER_NOT_AUTHORIZED: "Người ký không đúng thẩm quyền",
    FlagCode.ISSUER_MISMATCH: "Không phải văn bản của đơn vị",
    FlagCode.DOC_TYPE_MISMATCH: "Loại văn bản không phù hợp tiêu chí",
    FlagCode.TITLE_MISMATCH: "Trích yếu không phù hợp tiêu chí",
    FlagCode.DRAFT_DOCUMENT: "Văn bản là dự thảo",
    FlagCode.DUPLICATE_ACROSS_UNITS: "Tệp trùng với đơn vị khác",
    FlagCode.SCORE_EXCEEDS_MAX: "Điểm tự chấm vượt điểm tối đa",
    FlagCode.UNKNOWN_CRITERION: "Mã tiêu chí không có trong bộ chỉ số",
    FlagCode.CRITERION_NOT_APPLICABLE: "Tiêu chí không áp dụng cho nhóm đơn vị",
    FlagCode.INSUFFICIENT_EVIDENCE: "Không đủ số văn bản hợp lệ",
    FlagCode.DIGITAL_SIGNATURE_BROKEN: "Chữ ký số không còn nguyên vẹn",
    FlagCode.NUMBER_UNCERTAIN: "Số, ký hiệu đọc chưa chắc chắn, cần xem ảnh",
    FlagCode.DATE_UNCERTAIN: "Ngày ban hành đọc chưa chắc chắn, cần xem ảnh",
    FlagCode.SIGNER_UNCERTAIN: "Người ký đọc chưa chắc chắn, cần xem ảnh",
    FlagCode.ISSUER_UNCERTAIN: "Cơ quan ban hành đọc chưa chắc chắn, cần xem ảnh",
}

# Where on the page a flag's evidence was read: report.html shows that field's crop beside the
# flag, so the inspector settles an uncertain reading without opening the file.
FLAG_FIELDS: dict[FlagCode, tuple[str, ...]] = {
    FlagCode.NUMBER_MISMATCH: ("number",),
    FlagCode.NUMBER_UNCERTAIN: ("number", "symbol"),
    FlagCode.DATE_MISMATCH: ("date",),
    FlagCode.DATE_UNCERTAIN: ("date", "date_partial"),
    FlagCode.DATE_OUTSIDE_PERIOD: ("date", "date_partial"),
    FlagCode.SIGNER_MISMATCH: ("signer",),
    FlagCode.SIGNER_UNCERTAIN: ("signer", "signature_block"),
    FlagCode.ISSUER_UNCERTAIN: ("issuer", "symbol"),
}

SEVERITY_LABELS: dict[Severity, str] = {
    Severity.ERROR: "Lỗi",
    Severity.WARNING: "Cảnh báo",
}

STATUS_LABELS: dict[str, str] = {
    "ok": "Hợp lệ",
    "flagged": "Có cảnh báo",
    "missing": "Thiếu tệp",
}

GROUP_LABELS: dict[str, str] = {
    "so-nganh": "Sở, ban, ngành",
    "don-vi-truc-thuoc": "Đơn vị trực thuộc",
    "trung-uong": "Cơ quan Trung ương trên địa bàn",
    "quan-huyen": "Quận, huyện",
    "phuong-xa": "Phường, xã",
}

# The order fields are shown in; fields not listed here follow, by name.
FIELD_LABELS: dict[str, str] = {
    "number": "Số, ký hiệu",
    "date": "Ngày ban hành",
    "type": "Loại văn bản",
    "issuer": "Cơ quan ban hành",
    "title": "Trích yếu",
    "signer": "Người ký",
    "signer_role": "Chức vụ người ký",
    "signer_authority": "Thẩm quyền ký",
    "signature_block": "Khối chữ ký",
    "co_signers": "Người cùng ký (văn bản liên tịch)",
    "issuer_parent": "Cơ quan chủ quản",
    "symbol": "Ký hiệu",
    "date_partial": "Tháng, năm ban hành (ngày chưa đọc được)",
    "draft": "Dự thảo / chưa ban hành",
}

METHOD_LABELS: dict[str, str] = {
    "text": "Lớp văn bản",
    "ocr": "Nhận dạng ảnh (OCR)",
    "docx": "Tệp Word",
    "mixed": "Kết hợp văn bản và OCR",
    "ppocr": "Bộ đọc chữ viết tay",
    "ocr+ppocr": "OCR và bộ đọc chữ viết tay cùng đọc",
}

# Below this a value read off a document is shown as doubtful.
LOW_CONFIDENCE = 0.6

# The review loop: what flags.xlsx offers in its `Kết luận` dropdown, and what the reports show.
DECISION_LABELS: dict[ReviewDecision, str] = {
    ReviewDecision.CONFIRMED: "Xác nhận",
    ReviewDecision.DISMISSED: "Bỏ qua",
    ReviewDecision.PENDING: "Chờ bổ sung",
}
STALE_LABEL = "Cần xem lại"
UNREVIEWED_LABEL = "Chưa rà soát"

ROW_WHOLE_CRITERION = "Cả tiêu chí"
NOT_RANKED = "Chưa xếp loại"


def _enum_label(labels: Mapping[E, str], kind: type[E], value: E | str) -> str:
    """The Vietnamese label of an enum value; a value the enum does not know is shown as itself."""
    try:
        return labels[kind(value)]
    except ValueError:
        return str(value)


def flag_label(code: FlagCode | str) -> str:
    """The Vietnamese name of a flag code; an unknown code is shown as itself."""
    return _enum_label(FLAG_LABELS, FlagCode, code)


def severity_label(severity: Severity | str) -> str:
    return _enum_label(SEVERITY_LABELS, Severity, severity)


def group_label(group: str) -> str:
    return GROUP_LABELS.get(group, group)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def method_label(method: str | None) -> str:
    if not method:
        return ""
    return METHOD_LABELS.get(method, method)


def decision_label(decision: ReviewDecision | str) -> str:
    return _enum_label(DECISION_LABELS, ReviewDecision, decision)


def review_state(review: Review | None) -> str:
    """unreviewed | confirmed | dismissed | pending | stale: the filter a flag falls under."""
    if review is None:
        return "unreviewed"
    return "stale" if review.stale else review.decision.value
