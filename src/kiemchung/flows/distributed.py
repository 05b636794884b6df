"""Scale-out on a Prefect work pool: each unit runs as its own flow run on whichever worker is
free (several workers on one machine or many), through Prefect's own deployments and workers.

The parent flow starts one `prescreen-unit-worker` run per unit with `run_deployment`, waits for
all of them, and collects each unit's checks from the unit cache in the output store, where the
worker left them keyed by the unit's fingerprint. Nothing here distributes work by itself.
"""

from __future__ import annotations

import time

from prefect import flow, get_client, get_run_logger
from prefect.deployments import run_deployment

from kiemchung.core.model import Unit
from kiemchung.flows.evidence import (
    DocumentSource,
    RootInputs,
    list_unit,
    load_root,
    unit_fingerprint,
)
from kiemchung.flows.pipeline import UnitCheck, cached_check, check_unit
from kiemchung.flows.prescreen import document_reader
from kiemchung.flows.settings import Settings
from kiemchung.storage import JsonCache, open_store

WORKER_FLOW = "prescreen-unit-worker"


@flow(name=WORKER_FLOW, flow_run_name="{unit_code}")
def unit_worker_flow(root: str, out: str, year: int, unit_code: str, framework: str | None = None) -> str:
    """Check one unit and leave its result in the output store's unit cache."""
    settings = Settings.from_env()
    store = open_store(root)
    out_store = open_store(out, create=True)
    inputs = load_root(store, year, framework)
    unit = next(u for u in inputs.units if u.code == unit_code)
    reader = document_reader(settings)
    source = DocumentSource(store, settings.extract_context(), cache=JsonCache(out_store), reader=reader)
    outcome = check_unit(
        store, source, unit, inputs.units, inputs.framework, year, workers=settings.workers, registry_sha256=inputs.registry_sha256
    )
    if outcome.error:
        raise RuntimeError(outcome.error)  # the parent reports it as the unit's error
    get_run_logger().info("Đơn vị %s: %d cảnh báo", unit_code, len(outcome.flags))
    return unit_fingerprint(list_unit(store, year, unit_code), inputs.registry_sha256)


POLL_SECONDS = 2.0


def _run_all(deployment: str, params: list[dict]) -> list:
    """Start every unit's flow run at once (timeout=0: do not wait), then wait for all."""
    started = [run_deployment(deployment, parameters=p, timeout=0, as_subflow=True) for p in params]
    with get_client(sync_client=True) as client:
        while True:
            runs = [client.read_flow_run(run.id) for run in started]
            if all(run.state and run.state.is_final() for run in runs):
                return runs
            time.sleep(POLL_SECONDS)


def run_units_on_pool(
    deployment: str, *, root: str, out: str, year: int, framework: str | None, inputs: RootInputs, source: DocumentSource
) -> list[UnitCheck]:
    """Fan units out to the work pool behind `deployment` and collect their checks."""
    params = [{"root": root, "out": out, "year": year, "unit_code": u.code, "framework": framework} for u in inputs.units]
    runs = _run_all(deployment, params)
    checks = []
    for unit, run in zip(inputs.units, runs, strict=True):
        checks.append(_collect(unit, run, inputs, year, source))
    return checks


def _collect(unit: Unit, run, inputs: RootInputs, year: int, source: DocumentSource) -> UnitCheck:
    if not run.state or not run.state.is_completed():
        message = run.state.message if run.state else "không rõ trạng thái"
        return UnitCheck(unit=unit, error=f"Lượt chạy {run.name} trên worker không hoàn thành: {message}")
    fingerprint = unit_fingerprint(list_unit(source.store, year, unit.code), inputs.registry_sha256)
    outcome = cached_check(source.cache, unit, year, fingerprint, as_reuse=False)
    if outcome is None:
        return UnitCheck(unit=unit, error="Worker đã chạy xong nhưng không tìm thấy kết quả trong kho (tệp đã đổi trong lúc chạy?)")
    return outcome
