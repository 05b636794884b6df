"""Embedded PDF digital signatures read with pyHanko: the deeper, slower check behind
`read_pdf_signatures(..., deep=True)` and the reference the native reader is tested against.

pyHanko parses the whole file in Python (84% of a signed e-office PDF's reading time), so the
default path is `signatures.py`. Only integrity is checked here too: trust roots and revocation
need the network and the national CA chain, which a night run does not have.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiemchung.core.model import DigitalSignature

log = logging.getLogger(__name__)
# pyHanko logs every incremental update it cannot classify as an ERROR with a traceback; for
# integrity reading that is noise (e-office systems routinely free objects between signatures).
logging.getLogger("pyhanko.sign.diff_analysis").setLevel(logging.CRITICAL)


def _common_name(cert) -> str | None:
    try:
        return cert.subject.native.get("common_name")
    except Exception:  # noqa: BLE001 - odd certificates must not fail the file
        return None


def _intact(sig) -> bool | None:
    """Digest of the signed byte ranges equals the digest the signer signed (a document
    timestamp's message imprint for /ETSI.RFC3161)."""
    try:
        content = sig.signed_data["encap_content_info"]
        if content["content_type"].native == "tst_info":
            return sig.compute_digest() == content["content"].parsed["message_imprint"]["hashed_message"].native
        signed = sig.signer_info["signed_attrs"]
        wanted = next(a["values"][0].native for a in signed if a["type"].native == "message_digest")
        return sig.compute_digest() == wanted
    except Exception as exc:  # noqa: BLE001
        log.debug("signature digest not computable: %s", exc)
        return None


def read_with_pyhanko(path: Path) -> list[DigitalSignature]:
    # A signature dictionary always carries /ByteRange in plain bytes: without it, pyHanko's
    # parse is not worth its time.
    if b"/ByteRange" not in path.read_bytes():
        return []
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
    except ImportError:  # pragma: no cover - pyhanko is a dependency
        return []
    found: list[DigitalSignature] = []
    try:
        with path.open("rb") as fh:
            reader = PdfFileReader(fh, strict=False)
            for sig in reader.embedded_signatures:
                found.append(_describe(sig))
    except Exception as exc:  # noqa: BLE001 - a PDF pyHanko cannot parse still has its text read
        log.debug("no signatures read from %s: %s", path.name, exc)
    return found


def _describe(sig) -> DigitalSignature:
    try:
        timestamp = sig.self_reported_timestamp
        coverage = sig.evaluate_signature_coverage()
        return DigitalSignature(
            field=sig.field_name,
            signer=_common_name(sig.signer_cert),
            signing_time=timestamp.isoformat() if timestamp else None,
            intact=_intact(sig),
            covers_whole_file=coverage.name == "ENTIRE_FILE",
        )
    except Exception as exc:  # noqa: BLE001
        return DigitalSignature(field=getattr(sig, "field_name", None), error=str(exc)[:200])
