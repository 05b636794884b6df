"""The Prefect flow: `prescreen(root, year, out)` with one sub-flow per unit.

Tasks are thin wrappers around the stages listed in flows/night.py, each given the run's Night. Storage and network errors are retried with
backoff; a bad file or dossier is never retried (it becomes a flag or the unit's error).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from kiemchung.core.errors import StorageError, UnsafeKeyError
from kiemchung.core.model import Unit, UnitReport
from kiemchung.extractors.ocr import ensure_ocr_ready
from kiemchung.flows import progress
from kiemchung.flows.assembly import finish_reports
from kiemchung.flows.night import Night, start_night
from kiemchung.flows.outputs import write_unit_outputs, write_year_outputs
from kiemchung.flows.pipeline import UnitCheck, check_unit, unchanged_unit
from kiemchung.flows.reviews import UnitReviews, load_unit_reviews
from kiemchung.flows.root import RootInputs, load_root
from kiemchung.flows.settings import Settings
from kiemchung.storage import ObjectNotFoundError, ObjectStore, ObjectTooLargeError, open_store


def _storage_trouble(task, task_run, state) -> bool:
    """Retry when the store or network failed; never for a missing, unsafe or oversized key."""
    try:
        state.result()
    except (UnsafeKeyError, ObjectNotFoundError, ObjectTooLargeError):
        return False
    except StorageError:
        return True
    except Exception:  # noqa: BLE001 - anything else is not worth retrying
        return False
    return False


STORAGE_RETRIES = {"retries": 3, "retry_delay_seconds": [2, 8, 30], "retry_condition_fn": _storage_trouble}


@dataclass
class RunResult:
    year: int
    framework: str
    out: str
    reports: list[UnitReport] = field(default_factory=list)
    unknown_folders: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[UnitReport]:
        return [r for r in self.reports if r.error]


@task(cache_policy=NO_CACHE, **STORAGE_RETRIES)
def load_root_task(store: ObjectStore, year: int, framework: str | None) -> RootInputs:
    return load_root(store, year, framework)


@task(cache_policy=NO_CACHE, **STORAGE_RETRIES)
def check_unit_task(night: Night, unit: Unit) -> UnitCheck:
    return check_unit(night, unit, progress=progress.advance)


@flow(name="prescreen-unit", flow_run_name="{unit.code}", validate_parameters=False)
def unit_flow(night: Night, unit: Unit) -> UnitCheck:
    logger = get_run_logger()
    try:
        outcome = check_unit_task(night, unit)
    except StorageError as exc:  # retries exhausted: the unit fails, the night goes on
        outcome = UnitCheck(unit=unit, error=f"Lỗi kho lưu trữ, chưa kiểm tra được đơn vị: {exc}")
    if outcome.error:
        logger.error("Đơn vị %s không kiểm tra được: %s", unit.code, outcome.error)
    else:
        logger.info(
            "Đơn vị %s: %d dòng kê khai, %d cảnh báo; đọc mới %d tệp, dùng lại %d tệp%s",
            unit.code,
            len(outcome.claims),
            len(outcome.flags),
            len(outcome.processing.processed),
            len(outcome.processing.reused),
            " (không có gì thay đổi: dùng lại kết quả kiểm tra)" if outcome.processing.checks_reused else "",
        )
    return outcome


def _unit_check(night: Night, unit: Unit) -> UnitCheck:
    """A sub-flow per unit to check; an unchanged unit keeps its checks without one (each
    sub-flow costs about a second of Prefect bookkeeping, which dominates a nightly re-run)."""
    kept = unchanged_unit(night, unit)
    if kept is None:
        return unit_flow(night, unit)
    progress.advance(len(kept.documents))
    get_run_logger().info("Đơn vị %s: không có gì thay đổi, dùng lại kết quả kiểm tra lần trước", unit.code)
    return kept


@task(cache_policy=NO_CACHE, **STORAGE_RETRIES)
def load_reviews_task(night: Night) -> dict[str, UnitReviews]:
    """Each unit's current review decisions; workbooks dropped into reviews/ are imported first."""
    logger = get_run_logger()
    loaded = {}
    for unit in night.units:
        loaded[unit.code] = load_unit_reviews(night.out, prefix=night.settings.reports_prefix, year=night.year, unit=unit.code)
        for note in loaded[unit.code].notes:
            logger.warning("Đơn vị %s, kết luận rà soát: %s", unit.code, note)
    return loaded


@task(cache_policy=NO_CACHE, **STORAGE_RETRIES)
def write_unit_task(night: Night, report: UnitReport) -> str:
    return write_unit_outputs(night, report)


@task(cache_policy=NO_CACHE, **STORAGE_RETRIES)
def write_year_task(night: Night, reports: list[UnitReport]) -> str:
    return write_year_outputs(night, reports)


def _publish_artifacts(result: RunResult) -> None:
    rows = [
        {
            "Đơn vị": r.unit.code,
            "Tên": r.unit.name,
            "Lỗi": r.summary.errors,
            "Cảnh báo": r.summary.warnings,
            "Tự chấm": r.summary.self_score,
            "Có minh chứng": r.summary.supported_score,
            "Xếp loại": r.summary.rank_supported or "",
            "Đã rà soát": f"{r.summary.reviewed}/{len(r.flags)}",
            "Ghi chú": r.error or "",
        }
        for r in result.reports
    ]
    create_table_artifact(key=f"kiemchung-summary-{result.year}", table=rows, description=f"Tổng hợp tiền kiểm năm {result.year}")
    for report in result.reports:
        if report.error or not report.flags:
            continue
        lines = ["| Dòng | Tiêu chí | Mã lỗi | Nội dung |", "|---|---|---|---|"]
        for flag in report.flags[:200]:
            message = flag.message.replace("|", "\\|")
            lines.append(f"| {flag.row or ''} | {flag.criterion or ''} | {flag.code.value} | {message} |")
        create_markdown_artifact(
            key=f"flags-{result.year}-{report.unit.code.lower()}",
            markdown=f"# {report.unit.name} ({report.unit.code})\n\n" + "\n".join(lines),
            description=f"Danh sách cảnh báo của {report.unit.code}",
        )


@flow(name="prescreen", validate_parameters=False)
def prescreen(root: str, year: int, out: str, framework: str | None = None) -> RunResult:
    """Pre-screen every unit's evidence for `year` under `root`; reports go to `out`."""
    logger = get_run_logger()
    settings = Settings.from_env()
    ensure_ocr_ready(settings.extract_context())
    store = open_store(root)
    out_store = open_store(out, create=True)
    inputs = load_root_task(store, year, framework)  # the one place the year enters
    progress.expect(inputs.file_count)
    night = start_night(inputs, root=store, out=out_store, settings=settings)
    if settings.unit_deployment:
        from kiemchung.flows.distributed import run_units_on_pool

        logger.info("Chạy %d đơn vị trên work pool qua %s", len(night.units), settings.unit_deployment)
        checks = run_units_on_pool(night, root=root, out=out, framework=framework)
    else:
        checks = [_unit_check(night, unit) for unit in night.units]
    reviews = load_reviews_task(night)
    reports = finish_reports(night, checks, reviews)
    for report in reports:
        write_unit_task(night, report)
    write_year_task(night, reports)
    result = RunResult(year=year, framework=night.framework.id, out=out_store.root, reports=reports, unknown_folders=inputs.unknown_folders)
    for folder in result.unknown_folders:
        logger.warning("Thư mục %s/%s không có trong units.yaml: bỏ qua", year, folder)
    _publish_artifacts(result)
    logger.info("Xong: %d đơn vị, %d không kiểm tra được. Báo cáo: %s", len(reports), len(result.failed), out_store.root)
    return result
