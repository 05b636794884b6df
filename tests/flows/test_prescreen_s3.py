"""The same pre-screen on a real S3 server (SeaweedFS) through the minio client code users run:
evidence in a bucket, reports written back to a bucket, the same flags as on a local folder."""

from __future__ import annotations

import io
import json
import urllib.request

import pytest
from conftest import SAMPLES
from expected import differences, load_expected, table_of

from kiemchung.flows.prescreen import prescreen

pytestmark = pytest.mark.s3

YEAR = 2024


def _upload(client, bucket: str, prefix: str) -> int:
    count = 0
    for path in sorted(SAMPLES.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".py":
            key = f"{prefix}/{path.relative_to(SAMPLES).as_posix()}"
            client.fput_object(bucket, key, str(path))
            count += 1
    return count


def _actual(client, bucket: str, prefix: str) -> dict[tuple[str, str, str], str]:
    keys = [o.object_name for o in client.list_objects(bucket, prefix=f"{prefix}/{YEAR}/", recursive=True)]
    return table_of(json.loads(client.get_object(bucket, k).read()) for k in keys if k.endswith("/report.json"))


def test_prescreen_reads_and_writes_buckets(prefect_harness, s3_env):
    client = s3_env.client()
    bucket = s3_env.new_bucket()
    assert _upload(client, bucket, "evidence") > 40
    result = prescreen(root=f"s3://{bucket}/evidence", year=YEAR, out=f"s3://{bucket}/reports")
    assert not result.failed
    assert differences(load_expected(SAMPLES / "expected_flags.csv"), _actual(client, bucket, "reports")) == []
    names = {o.object_name for o in client.list_objects(bucket, prefix=f"reports/{YEAR}/", recursive=True)}
    assert {f"reports/{YEAR}/summary.json", f"reports/{YEAR}/index.html", f"reports/{YEAR}/SYT/flags.xlsx"} <= names
    # Links to proof files in the HTML are presigned and really download the evidence.
    html = client.get_object(bucket, f"reports/{YEAR}/SYT/report.html").read().decode("utf-8")
    start = html.index('href="http://') + len('href="')
    url = html[start : html.index('"', start)].replace("&amp;", "&")
    assert "X-Amz-Signature" in url
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200 and len(response.read()) > 1000
    # Credentials are never written into the reports.
    for name in names:
        if name.endswith((".json", ".html")):
            body = client.get_object(bucket, name).read().decode("utf-8")
            assert s3_env.secret_key not in body


def test_s3_rerun_reuses_the_cache_kept_in_the_bucket(prefect_harness, s3_env):
    client = s3_env.client()
    bucket = s3_env.new_bucket()
    _upload(client, bucket, "evidence")
    first = prescreen(root=f"s3://{bucket}/evidence", year=YEAR, out=f"s3://{bucket}/reports")
    syt = next(r for r in first.reports if r.unit.code == "SYT")
    changed = next(d.file for d in syt.documents if d.method == "text")
    key = f"evidence/{YEAR}/SYT/{changed}"
    data = client.get_object(bucket, key).read() + b"\n% a byte changed after upload\n"
    client.put_object(bucket, key, io.BytesIO(data), len(data))
    second = prescreen(root=f"s3://{bucket}/evidence", year=YEAR, out=f"s3://{bucket}/reports")
    processed = {(r.unit.code, f) for r in second.reports for f in r.processing.processed}
    assert processed == {("SYT", changed)}
    assert sum(len(r.processing.reused) for r in second.reports) > 40
