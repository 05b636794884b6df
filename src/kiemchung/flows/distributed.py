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
from kiemchung.flows.night import Night, start_night
from kiemchung.flows.pipeline import UnitCheck, check_unit, list_unit_files
from kiemchung.flows.root import load_root
from kiemchung.flows.settings import Settings
from kiemchung.storage import open_store

WORKER_FLOW = "prescreen-unit-worker"


@flow(name=WORKER_FLOW, flow_run_name="{unit_code}")
def unit_worker_flow(root: str, out: str, year: int, unit_code: str, framework: str | None = None) -> str:
    """Check one unit and leave its result in the output store's unit cache."""
    settings = Settings.from_env().model_copy(update={"cache": True})  # the parent collects from the cache
    store = open_store(root)
    inputs = load_root(store, year, framework)
    night = start_night(inputs, root=store, out=open_store(out, create=True), settings=settings)
    unit = next(u for u in night.units if u.code == unit_code)
    outcome = check_unit(night, unit)
    if outcome.error:
        raise RuntimeError(outcome.error)  # the parent reports it as the unit's error
    get_run_logger().info("Đơn vị %s: %d cảnh báo", unit_code, len(outcome.flags))
    return night.unit_cache.fingerprint(list_unit_files(night, unit))


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


def run_units_on_pool(night: Night, *, root: str, out: str, framework: str | None) -> list[UnitCheck]:
    """Fan units out to the work pool behind the configured deployment and collect their checks."""
    year = night.year
    params = [{"root": root, "out": out, "year": year, "unit_code": u.code, "framework": framework} for u in night.units]
    runs = _run_all(night.settings.unit_deployment, params)
    return [_collect(night, unit, run) for unit, run in zip(night.units, runs, strict=True)]


def _collect(night: Night, unit: Unit, run) -> UnitCheck:
    if not run.state or not run.state.is_completed():
        message = run.state.message if run.state else "không rõ trạng thái"
        return UnitCheck(unit=unit, error=f"Lượt chạy {run.name} trên worker không hoàn thành: {message}")
    outcome = night.unit_cache.kept(unit, list_unit_files(night, unit), as_reuse=False)
    if outcome is None:
        return UnitCheck(unit=unit, error="Worker đã chạy xong nhưng không tìm thấy kết quả trong kho (tệp đã đổi trong lúc chạy?)")
    return outcome
