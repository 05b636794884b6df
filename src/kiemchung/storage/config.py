"""S3 connection settings, resolved once (from the caller or the environment) and then frozen.

The keys are pydantic ``SecretStr``: repr(), str() and any message built from the config show
``**********``, never the keys themselves.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import SecretStr

from kiemchung.core.errors import ConfigError

ENV_ENDPOINT = "KIEMCHUNG_S3_ENDPOINT"
ENV_ACCESS_KEY = "KIEMCHUNG_S3_ACCESS_KEY"
ENV_SECRET_KEY = "KIEMCHUNG_S3_SECRET_KEY"
ENV_SECURE = "KIEMCHUNG_S3_SECURE"
ENV_REGION = "KIEMCHUNG_S3_REGION"
ENV_PRESIGN_SECONDS = "KIEMCHUNG_PRESIGN_SECONDS"
ENV_ATTEMPTS = "KIEMCHUNG_S3_ATTEMPTS"

# SigV4 presigned URLs live at most 7 days.
MAX_PRESIGN_SECONDS = 7 * 24 * 3600
DEFAULT_REGION = "us-east-1"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class S3Config:
    """Where the S3 server is and how to talk to it.

    ``endpoint`` is ``host`` or ``host:port`` (no scheme; ``secure`` says TLS). The region is
    given rather than discovered so that presigning needs no request to the server.
    """

    endpoint: str
    access_key: SecretStr
    secret_key: SecretStr
    secure: bool = True
    region: str = DEFAULT_REGION
    presign_seconds: int = MAX_PRESIGN_SECONDS
    attempts: int = 4
    backoff_seconds: float = 0.5
    connect_timeout: float = 5.0
    read_timeout: float = 60.0

    def __post_init__(self) -> None:
        # Accept plain strings from callers; store them wrapped so they never print.
        for name in ("access_key", "secret_key"):
            value = getattr(self, name)
            if not isinstance(value, SecretStr):
                object.__setattr__(self, name, SecretStr(str(value)))
        if not self.endpoint or "/" in self.endpoint:
            raise ConfigError(
                f"Địa chỉ S3 '{self.endpoint}' không hợp lệ: cần dạng host:port", key="endpoint"
            )
        if not 1 <= self.presign_seconds <= MAX_PRESIGN_SECONDS:
            raise ConfigError(
                f"Thời hạn liên kết ký sẵn phải từ 1 đến {MAX_PRESIGN_SECONDS} giây, "
                f"nhận được {self.presign_seconds}",
                key="presign_seconds",
            )
        if self.attempts < 1 or self.backoff_seconds < 0:
            raise ConfigError("Số lần thử phải ≥ 1 và thời gian chờ ≥ 0", key="attempts")

    @property
    def secrets(self) -> tuple[str, str]:
        """The raw keys, for scrubbing them out of any text that leaves the store."""
        return self.access_key.get_secret_value(), self.secret_key.get_secret_value()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> S3Config:
        """Build the config from ``KIEMCHUNG_S3_*`` variables (`os.environ` when not given).

        ``KIEMCHUNG_S3_ENDPOINT`` is ``host:port`` or a URL; an ``https://`` URL means TLS, an
        ``http://`` one means none, and for a bare host ``KIEMCHUNG_S3_SECURE`` decides
        (default: TLS).
        """
        env = os.environ if environ is None else environ
        raw_endpoint = _required(env, ENV_ENDPOINT)
        endpoint, scheme_secure = _parse_endpoint(raw_endpoint)
        secure_flag = _parse_bool(env, ENV_SECURE)
        if scheme_secure is not None and secure_flag is not None and scheme_secure != secure_flag:
            raise ConfigError(
                f"{ENV_SECURE}={env[ENV_SECURE]} mâu thuẫn với địa chỉ '{raw_endpoint}'",
                key=ENV_SECURE,
            )
        secure = next((v for v in (scheme_secure, secure_flag) if v is not None), True)
        return cls(
            endpoint=endpoint,
            access_key=SecretStr(_required(env, ENV_ACCESS_KEY)),
            secret_key=SecretStr(_required(env, ENV_SECRET_KEY)),
            secure=secure,
            region=env.get(ENV_REGION) or DEFAULT_REGION,
            presign_seconds=_parse_int(env, ENV_PRESIGN_SECONDS, MAX_PRESIGN_SECONDS),
            attempts=_parse_int(env, ENV_ATTEMPTS, 4),
        )


def _required(env: Mapping[str, str], name: str) -> str:
    value = (env.get(name) or "").strip()
    if not value:
        raise ConfigError(f"Thiếu biến môi trường {name} để kết nối S3", key=name)
    return value


def _parse_endpoint(raw: str) -> tuple[str, bool | None]:
    """``host:port`` and whether the scheme asked for TLS (None when there is no scheme)."""
    if "://" not in raw:
        return raw.rstrip("/"), None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"Địa chỉ S3 '{raw}' không hợp lệ: cần http(s)://host:port", key=ENV_ENDPOINT
        )
    if parts.path.strip("/") or parts.query or "@" in parts.netloc:
        raise ConfigError(
            f"Địa chỉ S3 '{parts.scheme}://{parts.hostname}' không được có đường dẫn hay tài khoản",
            key=ENV_ENDPOINT,
        )
    return parts.netloc, parts.scheme == "https"


def _parse_bool(env: Mapping[str, str], name: str) -> bool | None:
    value = (env.get(name) or "").strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}='{value}' không hợp lệ: dùng true hoặc false", key=name)


def _parse_int(env: Mapping[str, str], name: str, default: int) -> int:
    value = (env.get(name) or "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as e:
        raise ConfigError(f"{name}='{value}' không phải số nguyên", key=name) from e
