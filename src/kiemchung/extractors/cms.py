"""The facts a PDF signature's CMS SignedData carries, read with asn1crypto: who signed, when they
say they signed, which digest of the signed bytes they signed, and whether the signature value
over the signed attributes checks out with the certificate's public key.

Mirrors what pyHanko's `EmbeddedPdfSignature` reads (signer certificate chosen by the signer
identifier and checked against the signing-certificate attribute; signing time from the signed
attributes), at the cost of parsing a few kilobytes instead of the whole file.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import (
    cms,
    tsp,  # noqa: F401 - registers signing_certificate_v2 and TSTInfo with cms;
)

# imported after a CMS attribute type was read, asn1crypto's cached name map would miss them.


class CmsError(ValueError):
    """The signature's CMS cannot say who signed it (no single signer, certificate missing...)."""


@dataclass(frozen=True)
class SignerFacts:
    common_name: str | None
    signing_time: datetime | None  # from the signed attributes; None = not stated there
    digest_algorithm: str  # hashlib name the byte ranges are digested with
    signed_digest: bytes | None  # messageDigest (or a timestamp token's message imprint)
    signature_valid: bool | None  # None: algorithm not checked here or `cryptography` missing


def _attribute_values(signer_info: cms.SignerInfo, name: str) -> list:
    attrs = signer_info["signed_attrs"]
    if not attrs:
        return []
    return [value for attr in attrs if attr["type"].native == name for value in attr["values"]]


def _signer_certificate(signed_data: cms.SignedData, signer_info: cms.SignerInfo):
    sid = signer_info["sid"]
    for choice in signed_data["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if cert.serial_number != wanted["serial_number"].native:
                continue
            # Byte-equal names first: comparing parsed names runs LDAP string preparation.
            if cert.issuer.dump() == wanted["issuer"].dump() or cert.issuer == wanted["issuer"]:
                return cert
        elif sid.name == "subject_key_identifier" and cert.key_identifier == sid.chosen.native:
            return cert
    raise CmsError("signer certificate not included in signature")


def _check_signing_certificate_attribute(cert, signer_info: cms.SignerInfo) -> None:
    """ESS signing-certificate(-v2): the signer names the hash of its certificate; another
    certificate with the same issuer and serial must not pass for it."""
    for name, default in (("signing_certificate_v2", "sha256"), ("signing_certificate", "sha1")):
        values = _attribute_values(signer_info, name)
        if not values:
            continue
        cert_id = values[0]["certs"][0]
        algorithm = default
        if name == "signing_certificate_v2" and cert_id["hash_algorithm"].native:
            algorithm = cert_id["hash_algorithm"]["algorithm"].native
        if hashlib.new(algorithm, _der(cert)).digest() != cert_id["cert_hash"].native:
            raise CmsError("signing certificate attribute does not match the signer's certificate")
        return


def _der(value) -> bytes:
    """The bytes a parsed value was read from. `dump()` would re-encode the whole structure
    (asn1crypto marks algorithm identifiers with NULL parameters as changed): 10 ms a signature."""
    return value._header + value._contents  # noqa: SLF001


@functools.lru_cache(maxsize=256)
def _public_key(cert_der: bytes):
    """The certificate's key with `cryptography`; e-office files repeat the same few signers."""
    from cryptography import x509

    return x509.load_der_x509_certificate(cert_der).public_key()


_COMMON_NAME = "2.5.4.3"


def _common_name(cert) -> str | None:
    """The subject's CN, read straight from its attributes: `subject.native` would build and
    normalise the whole name (a third of the CMS reading). Several CNs are joined."""
    try:
        subject = cert["tbs_certificate"]["subject"].chosen
        names = [str(atv["value"].native) for rdn in subject for atv in rdn if atv["type"].dotted == _COMMON_NAME]
    except Exception:  # noqa: BLE001 - odd certificates must not fail the file
        return None
    return ", ".join(names) if names else None


def _signed_digest(signed_data: cms.SignedData, signer_info: cms.SignerInfo) -> tuple[str, bytes | None]:
    """(algorithm the byte ranges are hashed with, the digest the signer committed to)."""
    algorithm = signer_info["digest_algorithm"]["algorithm"].native.lower()
    content = signed_data["encap_content_info"]
    if content["content_type"].native == "tst_info":  # a document timestamp: the imprint is it
        imprint = content["content"].parsed["message_imprint"]
        return imprint["hash_algorithm"]["algorithm"].native.lower(), imprint["hashed_message"].native
    digests = _attribute_values(signer_info, "message_digest")
    return algorithm, (digests[0].native if digests else None)


def read_signer_facts(contents: bytes) -> SignerFacts:
    """`contents`: the signature dictionary's /Contents bytes (DER, zero-padded)."""
    try:
        signed_data = cms.ContentInfo.load(contents, strict=False)["content"]
        infos = signed_data["signer_infos"]
        if len(infos) != 1:
            raise CmsError("signer_infos should contain exactly one entry")
        signer_info = infos[0]
        cert = _signer_certificate(signed_data, signer_info)
        _check_signing_certificate_attribute(cert, signer_info)
        times = _attribute_values(signer_info, "signing_time")
        algorithm, digest = _signed_digest(signed_data, signer_info)
    except CmsError:
        raise
    except Exception as exc:  # noqa: BLE001 - asn1crypto raises many kinds on bad DER
        raise CmsError(f"CMS không đọc được: {exc}") from exc
    return SignerFacts(
        common_name=_common_name(cert),
        signing_time=times[0].native if len(times) == 1 else None,
        digest_algorithm=algorithm,
        signed_digest=digest,
        signature_valid=_signature_value_valid(cert, signer_info),
    )


def _signature_value_valid(cert, signer_info: cms.SignerInfo) -> bool | None:
    """RSA (PKCS#1 v1.5 or PSS) or ECDSA over the DER of the signed attributes, with `cryptography`."""
    attrs = signer_info["signed_attrs"]
    if not attrs:
        return None  # signatures straight over the content: not checked natively
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    except ImportError:  # pragma: no cover - installed with pyHanko
        return None
    # The signed attributes are signed as a SET OF (tag 0x31), not in their [0] IMPLICIT form.
    message = b"\x31" + _der(attrs)[1:]
    signature = signer_info["signature"].native
    mechanism = signer_info["signature_algorithm"]
    try:
        algorithm = mechanism.hash_algo  # sha256_rsa, sha256_ecdsa...
    except ValueError:  # plain rsaEncryption: the signer's digest algorithm
        algorithm = signer_info["digest_algorithm"]["algorithm"].native
    try:
        key = _public_key(_der(cert))
        digest = getattr(hashes, algorithm.upper())()
        if isinstance(key, rsa.RSAPublicKey):
            if mechanism.signature_algo == "rsassa_pss":
                params = mechanism["parameters"]
                pss_hash = getattr(hashes, params["hash_algorithm"]["algorithm"].native.upper())()
                pad = padding.PSS(padding.MGF1(pss_hash), params["salt_length"].native)
                key.verify(signature, message, pad, pss_hash)
            else:
                key.verify(signature, message, padding.PKCS1v15(), digest)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, message, ec.ECDSA(digest))
        else:
            return None
    except InvalidSignature:
        return False
    except Exception:  # noqa: BLE001 - unknown algorithm or malformed key: not decided here
        return None
    return True
