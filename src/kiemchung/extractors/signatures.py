"""Embedded PDF digital signatures, read natively: who, when, intact, whole file covered.

pdfium gives each signature dictionary's byte range, contents and /M time; hashlib digests the
byte ranges; asn1crypto reads the CMS (extractors/cms.py). That is the same verdict pyHanko
gives (tests/extractors/test_signatures_native.py compares them file by file) at native speed:
pyHanko's pure-Python parse of the whole file was 84% of a signed e-office PDF's reading time.
pyHanko stays behind `deep=True` (signatures_pyhanko.py).

Only integrity is checked: trust roots and revocation need the network and the national CA
chain, which a night run does not have. `intact` False means the bytes changed after signing.
Like pdfium, only signature fields listed directly in /AcroForm /Fields are seen (e-office
systems put them there; pyHanko also walks /Kids).
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
import mmap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kiemchung.core.model import DigitalSignature
from kiemchung.extractors.base import PDFIUM_LOCK
from kiemchung.extractors.cms import CmsError, read_signer_facts
from kiemchung.extractors.pdfbytes import SignatureFields, parse_pdf_date

log = logging.getLogger(__name__)

# The /SubFilter values pyHanko validates; it skips any other signature, and so do we.
_IN_MEMORY = 64 * 1024 * 1024
SUPPORTED_SUBFILTERS = {"adbe.pkcs7.detached", "ETSI.CAdES.detached", "ETSI.RFC3161", "PBAD.PAdES"}


@dataclass(frozen=True)
class _SignatureEntry:
    contents: bytes
    byte_range: tuple[int, ...]
    time: str  # /M as written
    subfilter: str


@contextmanager
def _file_bytes(path: Path) -> Iterator[bytes]:
    """The file's bytes: in memory when small (fast searching), else memory-mapped."""
    if path.stat().st_size <= _IN_MEMORY:
        yield path.read_bytes()
        return
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        yield data


def _ascii(getter, handle) -> str:
    size = getter(handle, None, 0)
    if size <= 0:
        return ""
    buffer = ctypes.create_string_buffer(size)
    getter(handle, buffer, size)
    return buffer.value.decode("latin-1")


def _entry(raw, handle) -> _SignatureEntry | None:
    size = raw.FPDFSignatureObj_GetContents(handle, None, 0)
    if size <= 0:  # an empty signature field waiting to be signed
        return None
    contents = ctypes.create_string_buffer(size)
    raw.FPDFSignatureObj_GetContents(handle, contents, size)
    count = raw.FPDFSignatureObj_GetByteRange(handle, None, 0)
    byte_range = (ctypes.c_int * max(count, 0))()
    if count > 0:
        raw.FPDFSignatureObj_GetByteRange(handle, byte_range, count)
    return _SignatureEntry(
        contents=contents.raw[:size],
        byte_range=tuple(byte_range),
        time=_ascii(raw.FPDFSignatureObj_GetTime, handle),
        subfilter=_ascii(raw.FPDFSignatureObj_GetSubFilter, handle),
    )


def _signature_entries(path: Path) -> list[_SignatureEntry]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(path))
        try:
            handles = [raw.FPDF_GetSignatureObject(pdf.raw, i) for i in range(raw.FPDF_GetSignatureCount(pdf.raw))]
            entries = [_entry(raw, handle) for handle in handles if handle]
        finally:
            pdf.close()
    return [e for e in entries if e is not None and e.subfilter in SUPPORTED_SUBFILTERS]


class _RangeDigests:
    """Digests of byte ranges that mostly share their first segment: each later signature signs
    the earlier revisions again, so the prefix from byte 0 is hashed once and copied."""

    def __init__(self, data) -> None:
        self.view = memoryview(data)
        self._prefix: dict[str, tuple[int, object]] = {}

    def close(self) -> None:
        self.view.release()

    def digest(self, byte_range: tuple[int, ...], algorithm: str) -> bytes | None:
        try:
            digest = hashlib.new(algorithm)
        except ValueError:
            return None
        segments = [(max(lo, 0), max(length, 0)) for lo, length in zip(byte_range[::2], byte_range[1::2], strict=False)]
        if segments and segments[0][0] == 0:
            at, state = self._prefix.get(algorithm, (0, digest))
            end = segments[0][1]
            if at <= end:
                digest = state.copy()
                digest.update(self.view[at:end])
                self._prefix[algorithm] = (end, digest.copy())
                segments = segments[1:]
        for lo, length in segments:
            digest.update(self.view[lo : lo + length])
        return digest.digest()


def _covers_whole_file(entry: _SignatureEntry, file_size: int) -> bool:
    """pyHanko's ENTIRE_FILE: a standard range from byte 0 whose hole is exactly /Contents."""
    byte_range = entry.byte_range
    if len(byte_range) != 4 or byte_range[0] != 0:
        return False
    return file_size == byte_range[1] + byte_range[3] + len(entry.contents) * 2 + 2


def _hole_start(entry: _SignatureEntry) -> int:
    return entry.byte_range[1] if len(entry.byte_range) > 1 else 0


def _describe(entry: _SignatureEntry, data, fields: SignatureFields, digests: _RangeDigests) -> DigitalSignature:
    field = fields.name_of(entry.byte_range)
    try:
        facts = read_signer_facts(entry.contents)
    except CmsError as exc:
        return DigitalSignature(field=field, error=str(exc)[:200])
    when = facts.signing_time or parse_pdf_date(entry.time)
    digest = digests.digest(entry.byte_range, facts.digest_algorithm)
    return DigitalSignature(
        field=field,
        signer=facts.common_name,
        signing_time=when.isoformat() if when else None,
        intact=None if digest is None or facts.signed_digest is None else digest == facts.signed_digest,
        covers_whole_file=_covers_whole_file(entry, len(data)),
        signature_valid=facts.signature_valid,
    )


def _read_native(path: Path) -> list[DigitalSignature]:
    try:
        entries = _signature_entries(path)
    except Exception as exc:  # noqa: BLE001 - a PDF pdfium cannot open still has its text read
        log.debug("no signatures read from %s: %s", path.name, exc)
        return []
    if not entries:
        return []
    with _file_bytes(path) as data:
        # In signing order, as pyHanko lists them: by the revision each signature was added in.
        fields, digests = SignatureFields(data), _RangeDigests(data)
        try:
            ordered = sorted(entries, key=lambda entry: fields.revision_of(_hole_start(entry)))  # stable
            return [_describe(entry, data, fields, digests) for entry in ordered]
        finally:
            digests.close()


def read_pdf_signatures(path: Path, *, deep: bool = False) -> list[DigitalSignature]:
    """Every filled signature of a PDF. `deep`: read them with pyHanko instead (slower; the
    reference the native reading is tested against)."""
    if path.stat().st_size == 0:
        return []
    if deep:
        from kiemchung.extractors.signatures_pyhanko import read_with_pyhanko

        return read_with_pyhanko(path)
    return _read_native(path)
