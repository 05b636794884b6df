"""Deployments for the nightly pre-screen.

Two ways, both Prefect's own:
- `serve_nightly`: one long-running process that owns the schedule and runs the flow
  (`kiemchung serve`); simplest for a single machine.
- `deploy_to_pool`: deployments on a process work pool, served by any number of
  `prefect worker start --pool NAME` processes; with `units_on_pool`, each unit of the nightly
  run becomes its own flow run on whichever worker is free (scale-out).
"""

from __future__ import annotations

from pathlib import Path

from prefect.client.schemas.schedules import CronSchedule

from kiemchung.flows.distributed import WORKER_FLOW, unit_worker_flow
from kiemchung.flows.prescreen import prescreen

NIGHTLY = "nightly"
TIMEZONE = "Asia/Ho_Chi_Minh"
SOURCE_ROOT = Path(__file__).resolve().parents[3]  # the checkout: src/kiemchung/flows/deploy.py


def _parameters(root: str, out: str, year: int, framework: str | None) -> dict:
    params = {"root": root, "out": out, "year": year}
    if framework:
        params["framework"] = framework
    return params


def serve_nightly(root: str, out: str, year: int, *, cron: str, framework: str | None = None) -> None:
    """Register the scheduled deployment `prescreen/nightly` and run it from this process."""
    prescreen.serve(
        name=NIGHTLY,
        schedules=[CronSchedule(cron=cron, timezone=TIMEZONE)],
        parameters=_parameters(root, out, year, framework),
        description="Tiền kiểm minh chứng hằng đêm",
        tags=["kiemchung"],
    )


def deploy_to_pool(
    pool: str, root: str, out: str, year: int, *, cron: str, framework: str | None = None, units_on_pool: bool = True
) -> list[str]:
    """Create `prescreen/nightly` (scheduled) and `prescreen-unit-worker/<pool>` on a work pool."""
    names = []
    job_variables = {"env": {"KIEMCHUNG_UNIT_DEPLOYMENT": f"{WORKER_FLOW}/{pool}"}} if units_on_pool else {}
    nightly = prescreen.from_source(str(SOURCE_ROOT), "src/kiemchung/flows/prescreen.py:prescreen")
    nightly.deploy(
        name=NIGHTLY,
        work_pool_name=pool,
        schedules=[CronSchedule(cron=cron, timezone=TIMEZONE)],
        parameters=_parameters(root, out, year, framework),
        job_variables=job_variables,
        tags=["kiemchung"],
        print_next_steps=False,
    )
    names.append(f"prescreen/{NIGHTLY}")
    worker = unit_worker_flow.from_source(str(SOURCE_ROOT), "src/kiemchung/flows/distributed.py:unit_worker_flow")
    worker.deploy(name=pool, work_pool_name=pool, tags=["kiemchung"], print_next_steps=False)
    names.append(f"{WORKER_FLOW}/{pool}")
    return names
