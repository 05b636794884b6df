"""The flag codes of the contract (../shared/contracts.md, section 6) and the severity of each."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class FlagCode(StrEnum):
    MISSING_FILE = "MISSING_FILE"
    UNREADABLE_FILE = "UNREADABLE_FILE"
    UNSUPPORTED_FILE = "UNSUPPORTED_FILE"
    NUMBER_NOT_FOUND = "NUMBER_NOT_FOUND"
    NUMBER_MISMATCH = "NUMBER_MISMATCH"
    DATE_NOT_FOUND = "DATE_NOT_FOUND"
    DATE_MISMATCH = "DATE_MISMATCH"
    DATE_OUTSIDE_PERIOD = "DATE_OUTSIDE_PERIOD"
    SIGNER_NOT_FOUND = "SIGNER_NOT_FOUND"
    SIGNER_MISMATCH = "SIGNER_MISMATCH"
    SIGNER_NOT_AUTHORIZED = "SIGNER_NOT_AUTHORIZED"
    ISSUER_MISMATCH = "ISSUER_MISMATCH"
    DOC_TYPE_MISMATCH = "DOC_TYPE_MISMATCH"
    TITLE_MISMATCH = "TITLE_MISMATCH"
    DRAFT_DOCUMENT = "DRAFT_DOCUMENT"
    DUPLICATE_ACROSS_UNITS = "DUPLICATE_ACROSS_UNITS"
    SCORE_EXCEEDS_MAX = "SCORE_EXCEEDS_MAX"
    UNKNOWN_CRITERION = "UNKNOWN_CRITERION"
    CRITERION_NOT_APPLICABLE = "CRITERION_NOT_APPLICABLE"
    INSUFFICIENT_EVIDENCE = "INSUFFICIENT_EVIDENCE"
    # Extension (issue 3): a PDF signature that no longer matches the bytes it signed.
    DIGITAL_SIGNATURE_BROKEN = "DIGITAL_SIGNATURE_BROKEN"
    # Contract section 6: the reading differs from the claim but is not trustworthy (handwriting,
    # low-confidence OCR, readers that disagree): a person looks at the crop. ISSUER_UNCERTAIN is
    # our extension, for an issuer header read without confidence.
    NUMBER_UNCERTAIN = "NUMBER_UNCERTAIN"
    DATE_UNCERTAIN = "DATE_UNCERTAIN"
    SIGNER_UNCERTAIN = "SIGNER_UNCERTAIN"
    ISSUER_UNCERTAIN = "ISSUER_UNCERTAIN"


FLAG_SEVERITY: dict[FlagCode, Severity] = {
    code: Severity.WARNING
    if code
    in {
        FlagCode.NUMBER_NOT_FOUND,
        FlagCode.DATE_NOT_FOUND,
        FlagCode.TITLE_MISMATCH,
        FlagCode.DUPLICATE_ACROSS_UNITS,
        FlagCode.NUMBER_UNCERTAIN,
        FlagCode.DATE_UNCERTAIN,
        FlagCode.SIGNER_UNCERTAIN,
        FlagCode.ISSUER_UNCERTAIN,
    }
    else Severity.ERROR
    for code in FlagCode
}
