"""How S3Store talks to S3: the ``s3://bucket/prefix`` address, the client with its credentials,
TLS and timeouts, and the retry policy around every call.

Network failures and 5xx answers are retried with exponential backoff; NoSuchKey, AccessDenied
and other 4xx answers are not. A failure becomes a StorageError naming the object, in
Vietnamese, with the access and secret keys scrubbed from the text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

import certifi
import urllib3
from minio import Minio
from minio.error import InvalidResponseError, MinioException, S3Error, ServerError
from minio.helpers import check_bucket_name

from kiemchung.core.errors import ConfigError, StorageError
from kiemchung.storage.base import ObjectNotFoundError
from kiemchung.storage.config import S3Config
from kiemchung.storage.keys import safe_prefix

# The store's logger: a retry is news about the store (operators and tests listen there).
log = logging.getLogger("kiemchung.storage.s3")

T = TypeVar("T")

_NOT_FOUND = {"NoSuchKey", "NoSuchObject", "NotFound"}
# S3 error codes that say "try again later" even when the status is not 5xx.
_TRANSIENT_CODES = {"InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout"}


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> (bucket, "some/prefix"); the prefix may be empty."""
    if not uri.startswith("s3://"):
        raise ConfigError(f"'{uri}' không phải địa chỉ s3://bucket/tiền-tố", key="root")
    bucket, _, prefix = uri[len("s3://") :].partition("/")
    try:
        check_bucket_name(bucket, strict=True)
    except ValueError as e:
        raise ConfigError(f"Tên bucket '{bucket}' không hợp lệ", key="root") from e
    return bucket, safe_prefix(prefix)


def connect(config: S3Config) -> Minio:
    """A client for `config`'s endpoint with its credentials."""
    access_key, secret_key = config.secrets
    return Minio(
        config.endpoint,
        access_key=access_key,
        secret_key=secret_key,
        secure=config.secure,
        region=config.region,
        http_client=_http_client(config),
    )


def _http_client(config: S3Config) -> urllib3.PoolManager:
    """No urllib3-level retries: call_with_retries owns them, so attempts are counted once."""
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=config.connect_timeout, read=config.read_timeout),
        maxsize=10,
        retries=False,
        cert_reqs="CERT_REQUIRED",
        ca_certs=certifi.where(),
    )


def call_with_retries(
    config: S3Config, action: str, key: str | None, uri: str, fn: Callable[[], T]
) -> T:
    """Run `fn`, retrying transient failures; wrap every failure in a StorageError naming `uri`."""
    attempts = config.attempts
    last: Exception | None = None
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except StorageError:
            raise
        except S3Error as e:
            if e.code in _NOT_FOUND and key is not None:
                raise ObjectNotFoundError(f"Không tìm thấy {uri}", key=key) from e
            if not _is_transient(e):
                raise StorageError(
                    scrub(config, f"Không {action} được {uri}: {_describe(e)}")
                ) from e
            last = e
        except (urllib3.exceptions.HTTPError, OSError, MinioException) as e:
            if not _is_transient(e):
                raise StorageError(
                    scrub(config, f"Không {action} được {uri}: {_describe(e)}")
                ) from e
            last = e
        if attempt < attempts:
            delay = config.backoff_seconds * 2 ** (attempt - 1)
            log.warning(
                "%s: lần thử %d/%d thất bại (%s); thử lại sau %.1f s",
                uri,
                attempt,
                attempts,
                scrub(config, _describe(last)),
                delay,
            )
            time.sleep(delay)
    raise StorageError(
        scrub(config, f"Không {action} được {uri} sau {attempts} lần thử: {_describe(last)}")
    ) from last


def scrub(config: S3Config, text: str) -> str:
    """`text` with the access and secret keys replaced by ***."""
    for secret in config.secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _is_transient(e: Exception) -> bool:
    if isinstance(e, S3Error):
        status = e.response.status if e.response is not None else 0
        return status >= 500 or e.code in _TRANSIENT_CODES
    if isinstance(e, ServerError):
        return e.status_code >= 500
    if isinstance(e, InvalidResponseError):
        return True  # a garbled answer (e.g. a proxy's HTML page) while the server restarts
    # Connection refused or reset, timeouts, truncated bodies.
    return isinstance(e, urllib3.exceptions.HTTPError | OSError)


def _describe(e: Exception | None) -> str:
    if isinstance(e, S3Error):
        return f"{e.code}: {e.message}"
    if isinstance(e, urllib3.exceptions.MaxRetryError) and e.reason is not None:
        e = e.reason
    return f"{type(e).__name__}: {e}"
