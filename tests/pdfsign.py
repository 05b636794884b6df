"""Digitally signed PDFs for tests, made with pyHanko and self-signed certificates: signed once
or several times, tampered inside the signed range, updated incrementally after signing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path


def self_signed_signer(common_name: str, *, key_type: str = "rsa"):
    """A pyHanko signer whose certificate names `common_name` (RSA 2048 or ECDSA P-256)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if key_type == "ec":
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    der_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    der_key = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return signers.SimpleSigner(
        signing_cert=der_cert, signing_key=der_key, cert_registry=SimpleCertificateStore.from_certs([der_cert])
    )


def sign_pdf(source: Path, target: Path, signer, *, field: str = "ChuKySo", subfilter: str | None = None) -> bytes:
    """Sign `source` in an incremental update; `subfilter` "pades" for /ETSI.CAdES.detached."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(field_name=field)
    if subfilter == "pades":
        meta = signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.PADES)
    out = io.BytesIO()
    with source.open("rb") as fh:
        signers.sign_pdf(IncrementalPdfFileWriter(fh, strict=False), meta, signer=signer, output=out)
    target.write_bytes(out.getvalue())
    return out.getvalue()


def tamper_inside_signed_range(signed: bytes) -> bytes:
    """Flip one bit of the document information's /Author: inside the first signed range, and the
    text still reads."""
    at = signed.index(b"/Author")
    first_range = signed[signed.index(b"/ByteRange [") + 12 :].split(b"]")[0].split()
    end = signed.index(b")", at)
    if end >= int(first_range[1]):
        raise ValueError("the changed byte must be inside the signed range")
    return signed[: end - 1] + bytes([signed[end - 1] ^ 0x01]) + signed[end:]


def update_after_signing(source: Path, target: Path) -> bytes:
    """An incremental update that changes the document information after the last signature."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    out = io.BytesIO()
    with source.open("rb") as fh:
        writer = IncrementalPdfFileWriter(fh, strict=False)
        info = writer.trailer["/Info"].get_object() if "/Info" in writer.trailer else None
        if info is not None:
            info[generic.NameObject("/Title")] = generic.TextStringObject("Sửa sau khi ký")
            writer.update_container(info)
        writer.root[generic.NameObject("/PageMode")] = generic.NameObject("/UseOutlines")
        writer.update_root()
        writer.write(out)
    target.write_bytes(out.getvalue())
    return out.getvalue()
