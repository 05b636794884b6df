"""The native signature reading (pdfium + hashlib + asn1crypto) gives pyHanko's verdicts: signer,
signing time, intact, whole file covered, on every signed real PDF and on generated ones that
are signed, tampered, signed twice and updated after signing."""

from __future__ import annotations

from pathlib import Path

import pytest
from docgen import DocSpec, make_pdf
from pdfsign import self_signed_signer, sign_pdf, tamper_inside_signed_range, update_after_signing

from kiemchung.extractors.signatures import read_pdf_signatures

REALDOCS = Path(__file__).resolve().parents[3] / "shared" / "realdocs"


def verdicts(path: Path, *, deep: bool) -> list[tuple]:
    return [
        (s.field, s.signer, s.signing_time, s.intact, s.covers_whole_file, s.error is None)
        for s in read_pdf_signatures(path, deep=deep)
    ]


def _signed_real_pdfs() -> list[Path]:
    files = sorted((REALDOCS / "files").glob("*.pdf")) if REALDOCS.is_dir() else []
    return [p for p in files if b"/ByteRange" in p.read_bytes()]


@pytest.mark.skipif(not _signed_real_pdfs(), reason="../shared/realdocs not present")
@pytest.mark.parametrize("path", _signed_real_pdfs(), ids=lambda p: p.name)
def test_real_signed_pdfs_match_pyhanko(path: Path) -> None:
    native = verdicts(path, deep=False)
    assert native, "a file with /ByteRange has signatures"
    assert native == verdicts(path, deep=True)


@pytest.mark.skipif(not (REALDOCS / "SIGNATURES.tsv").is_file(), reason="../shared/realdocs not present")
def test_real_signatures_match_the_manifest() -> None:
    """SIGNATURES.tsv was written with pyHanko when the corpus was collected: CN, intact,
    coverage and the signature value's validity, row by row in signing order."""
    rows: dict[str, list[list[str]]] = {}
    lines = (REALDOCS / "SIGNATURES.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        cells = line.split("\t")
        rows.setdefault(cells[0], []).append(cells)
    for name, expected in rows.items():
        found = read_pdf_signatures(REALDOCS / "files" / name)
        assert [(s.field, s.signer, s.intact, s.covers_whole_file) for s in found] == [
            (r[1], r[4], r[7] == "True", r[9] == "ENTIRE_FILE") for r in expected
        ], name
        # The manifest's validity includes the digest: only intact signatures say something
        # about the signature value alone.
        assert [s.signature_valid for s in found if s.intact] == [r[8] == "True" for r in expected if r[7] == "True"], name


PLAN = DocSpec(
    issuer="SỞ Y TẾ",
    parent="UBND THÀNH PHỐ ĐÀ NẴNG",
    title="Chuyển đổi số năm 2024 của Sở Y tế",
    number="131/KH-SYT",
    type_name="KẾ HOẠCH",
    signer="Ngô Quang Hòa",
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("signed")
    rsa = self_signed_signer("SỞ Y TẾ THÀNH PHỐ ĐÀ NẴNG")
    person = self_signed_signer("Ngô Quang Hòa", key_type="ec")
    make_pdf(PLAN, folder / "unsigned.pdf")
    files = {"unsigned": folder / "unsigned.pdf"}
    signed = sign_pdf(files["unsigned"], folder / "signed.pdf", rsa)
    files["signed"] = folder / "signed.pdf"
    files["tampered"] = folder / "tampered.pdf"
    files["tampered"].write_bytes(tamper_inside_signed_range(signed))
    sign_pdf(files["unsigned"], folder / "person.pdf", person, field="NguoiKy", subfilter="pades")
    sign_pdf(folder / "person.pdf", folder / "twice.pdf", rsa, field="DonVi")
    files["signed-twice"] = folder / "twice.pdf"
    update_after_signing(files["signed-twice"], folder / "updated.pdf")
    files["updated-after-signing"] = folder / "updated.pdf"
    files["garbage-appended"] = folder / "appended.pdf"
    files["garbage-appended"].write_bytes(signed + b"\n% appended after signing\n")
    twice = files["signed-twice"].read_bytes()
    files["twice-first-tampered"] = folder / "twice-tampered.pdf"
    files["twice-first-tampered"].write_bytes(tamper_inside_signed_range(twice))
    return files


CASES = {
    # name: (intact, whole file covered) per signature, in signing order
    "unsigned": [],
    "signed": [(True, True)],
    "tampered": [(False, True)],
    "signed-twice": [(True, False), (True, True)],
    "updated-after-signing": [(True, False), (True, False)],
    "garbage-appended": [(True, False)],
    "twice-first-tampered": [(False, False), (False, True)],
}


@pytest.mark.parametrize("case", CASES)
def test_generated_pdfs_match_pyhanko(generated: dict[str, Path], case: str) -> None:
    native = verdicts(generated[case], deep=False)
    assert native == verdicts(generated[case], deep=True)
    assert [(intact, whole) for _, _, _, intact, whole, _ in native] == CASES[case]


def test_generated_signers_times_and_values(generated: dict[str, Path]) -> None:
    first, second = read_pdf_signatures(generated["signed-twice"])
    assert (first.field, first.signer, second.field, second.signer) == (
        "NguoiKy", "Ngô Quang Hòa", "DonVi", "SỞ Y TẾ THÀNH PHỐ ĐÀ NẴNG"
    )
    assert first.signing_time and first.signing_time <= second.signing_time
    # ECDSA and RSA signature values over the signed attributes both verify; tampering with
    # the document's bytes leaves the value valid (it signs the attributes) but breaks `intact`.
    assert (first.signature_valid, second.signature_valid) == (True, True)
    (tampered,) = read_pdf_signatures(generated["tampered"])
    assert (tampered.intact, tampered.signature_valid) == (False, True)


def test_a_forged_signature_value_is_caught(generated: dict[str, Path], tmp_path: Path) -> None:
    """Flip a bit of the signature value inside /Contents: the digest still matches the bytes,
    the value no longer verifies with the certificate's key."""
    data = generated["signed"].read_bytes()
    (sig,) = read_pdf_signatures(generated["signed"])
    from asn1crypto import cms

    start = data.index(b"/Contents <") + 11
    contents = bytes.fromhex(data[start : data.index(b">", start)].decode())
    value = cms.ContentInfo.load(contents, strict=False)["content"]["signer_infos"][0]["signature"].native
    at = contents.index(value) + 10
    forged = contents[:at] + bytes([contents[at] ^ 0x01]) + contents[at + 1 :]
    path = tmp_path / "forged.pdf"
    path.write_bytes(data[:start] + forged.hex().encode() + data[start + len(contents) * 2 :])
    (forged_sig,) = read_pdf_signatures(path)
    assert (sig.signature_valid, forged_sig.signature_valid, forged_sig.intact) == (True, False, True)
