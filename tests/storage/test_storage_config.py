"""S3Config: resolved from the environment once; the keys never print."""

from __future__ import annotations

import pytest

from kiemchung.core.errors import ConfigError
from kiemchung.storage.config import MAX_PRESIGN_SECONDS, S3Config

ACCESS, SECRET = "AKIAEXAMPLEACCESS", "s3cr3t/EXAMPLE+key"


def env(**extra: str) -> dict[str, str]:
    base = {
        "KIEMCHUNG_S3_ENDPOINT": "minio.local:9000",
        "KIEMCHUNG_S3_ACCESS_KEY": ACCESS,
        "KIEMCHUNG_S3_SECRET_KEY": SECRET,
    }
    base.update(extra)
    return base


def test_defaults_from_env() -> None:
    config = S3Config.from_env(env())
    assert config.endpoint == "minio.local:9000"
    assert config.secure is True
    assert config.region == "us-east-1"
    assert config.presign_seconds == MAX_PRESIGN_SECONDS
    assert config.secrets == (ACCESS, SECRET)


@pytest.mark.parametrize(
    ("endpoint", "secure_flag", "expected"),
    [
        ("http://127.0.0.1:8333", "", ("127.0.0.1:8333", False)),
        ("https://s3.danang.gov.vn", "", ("s3.danang.gov.vn", True)),
        ("https://s3.danang.gov.vn/", "true", ("s3.danang.gov.vn", True)),
        ("127.0.0.1:8333", "false", ("127.0.0.1:8333", False)),
        ("127.0.0.1:8333", "1", ("127.0.0.1:8333", True)),
    ],
)
def test_endpoint_and_tls(endpoint: str, secure_flag: str, expected: tuple[str, bool]) -> None:
    config = S3Config.from_env(env(KIEMCHUNG_S3_ENDPOINT=endpoint, KIEMCHUNG_S3_SECURE=secure_flag))
    assert (config.endpoint, config.secure) == expected


def test_other_settings_from_env() -> None:
    config = S3Config.from_env(
        env(KIEMCHUNG_S3_REGION="ap-southeast-1", KIEMCHUNG_PRESIGN_SECONDS="3600")
    )
    assert config.region == "ap-southeast-1"
    assert config.presign_seconds == 3600


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"KIEMCHUNG_S3_ENDPOINT": ""}, "KIEMCHUNG_S3_ENDPOINT"),
        ({"KIEMCHUNG_S3_SECRET_KEY": " "}, "KIEMCHUNG_S3_SECRET_KEY"),
        ({"KIEMCHUNG_S3_SECURE": "maybe"}, "KIEMCHUNG_S3_SECURE"),
        (
            {"KIEMCHUNG_S3_ENDPOINT": "http://h:1", "KIEMCHUNG_S3_SECURE": "true"},
            "KIEMCHUNG_S3_SECURE",
        ),
        ({"KIEMCHUNG_PRESIGN_SECONDS": "tuần"}, "KIEMCHUNG_PRESIGN_SECONDS"),
        ({"KIEMCHUNG_S3_ENDPOINT": "https://h/bucket"}, "KIEMCHUNG_S3_ENDPOINT"),
    ],
)
def test_bad_settings_name_the_variable(extra: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as info:
        S3Config.from_env(env(**extra))
    assert info.value.key == named


def test_presign_lifetime_is_bounded() -> None:
    with pytest.raises(ConfigError):
        S3Config.from_env(env(KIEMCHUNG_PRESIGN_SECONDS=str(MAX_PRESIGN_SECONDS + 1)))


def test_keys_never_print() -> None:
    config = S3Config.from_env(env())
    plain = S3Config(endpoint="h:1", access_key=ACCESS, secret_key=SECRET)
    for text in (repr(config), str(config), repr(plain), f"{plain}", str(plain.secret_key)):
        assert SECRET not in text
        assert ACCESS not in text


def test_endpoint_url_with_credentials_is_not_echoed() -> None:
    with pytest.raises(ConfigError) as info:
        S3Config.from_env(env(KIEMCHUNG_S3_ENDPOINT=f"https://{ACCESS}:{SECRET}@h:1"))
    assert SECRET not in str(info.value)
    assert ACCESS not in str(info.value)
