"""`kiemchung`: prescreen, check, web, extract, validate, serve, deploy, review import/history.

Exit codes: 0 done (flags are results, not failures); 1 unexpected error; 2 invalid input
(units.yaml, framework, dossier, settings); 3 setup missing (Tesseract, language data);
4 storage unreachable; 5 the run finished but some units could not be checked.

The unit's own check (`check`, `web`) is in `cli_self_check`, the review commands in `cli_review`;
the commands are registered on `app` at the end, in the order `--help` lists them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer
from rich.table import Table

from kiemchung.core.errors import ConfigError, KiemchungError
from kiemchung.flows.cli_console import EXIT_PARTIAL, console, fail, out
from kiemchung.flows.cli_review import review_app
from kiemchung.flows.cli_self_check import check, web

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Tiền kiểm minh chứng đánh giá, xếp hạng chuyển đổi số.")

# Prefect's ephemeral mode (no server configured) needs a little care on a cold machine.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def prescreen(
    root: str = typer.Argument(..., help="Thư mục gốc minh chứng hoặc s3://bucket/prefix"),
    year: int = typer.Option(..., "--year", "-y", help="Năm đánh giá"),
    out_dir: str = typer.Option(..., "--out", "-o", help="Nơi ghi báo cáo (thư mục hoặc s3://…)"),
    framework: str | None = typer.Option(None, "--framework", "-f", help="Mã bộ chỉ số có sẵn hoặc đường dẫn YAML"),
) -> None:
    """Tiền kiểm hồ sơ của mọi đơn vị trong năm: báo cáo theo đơn vị và tổng hợp."""
    from kiemchung.flows.worker_memory import tune_this_process

    tune_this_process()  # before any thread: a whole night's run in 1 GB (issue 13)
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    from kiemchung.flows.apiserver import prefect_api_for_cli

    with prefect_api_for_cli() as api:  # boots on the other core while the imports below run
        _prescreen(root, year, out_dir, framework, api)


def _prescreen(root: str, year: int, out_dir: str, framework: str | None, api) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kiemchung.flows import progress as sink
    from kiemchung.flows.apiserver import startup_timeout_s
    from kiemchung.flows.prescreen import prescreen as prescreen_flow

    try:
        if api is not None:
            api.wait_ready(startup_timeout_s())
        with Progress(
            TextColumn("[bold]Đang đọc minh chứng"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task_id = bar.add_task("files", total=None)
            sink.set_callback(
                lambda n: bar.advance(task_id, n), total=lambda n: bar.update(task_id, total=n)
            )
            result = prescreen_flow(root=root, year=year, out=out_dir, framework=framework)
    except KiemchungError as exc:
        fail(exc)
    finally:
        sink.set_callback(None)
    _print_result(result)
    if result.failed:
        raise typer.Exit(EXIT_PARTIAL)


def _print_result(result) -> None:
    table = Table(title=f"Kết quả tiền kiểm năm {result.year} ({result.framework})")
    for column in ("Đơn vị", "Dòng", "Lỗi", "Cảnh báo", "Tự chấm", "Có minh chứng", "Ghi chú"):
        table.add_column(column)
    for r in result.reports:
        s = r.summary
        table.add_row(
            r.unit.code,
            str(s.claims),
            str(s.errors),
            str(s.warnings),
            f"{s.self_score:g}",
            f"{s.supported_score:g}",
            r.error or "",
        )
    out.print(table)
    for folder in result.unknown_folders:
        out.print(f"[yellow]Bỏ qua thư mục {result.year}/{folder}: không có trong units.yaml[/]")
    where = f"{result.out.rstrip('/')}/{result.year}"
    out.print(f"Báo cáo: {where}/index.html (tổng hợp), {where}/<MÃ ĐƠN VỊ>/report.html, flags.xlsx, report.json")


def extract(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Tệp minh chứng"),
    as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON"),
) -> None:
    """Đọc một tệp và in các trường đã nhận dạng, kèm vị trí và cách đọc."""
    from kiemchung.extractors.ocr import ensure_ocr_ready
    from kiemchung.extractors.reading import read_document
    from kiemchung.flows.settings import Settings

    try:
        ctx = Settings.from_env().extract_context()
        ensure_ocr_ready(ctx)
    except KiemchungError as exc:
        fail(exc)
    doc = read_document(file, file.name, ctx)
    if as_json:
        sys.stdout.write(json.dumps(doc.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"{file.name} ({doc.kind}, {doc.pages} trang, {doc.method})")
    for column in ("Trường", "Giá trị", "Trang", "Cách đọc", "Độ tin cậy"):
        table.add_column(column)
    for name, f in doc.fields.items():
        conf = "" if f.confidence is None else f"{f.confidence:.2f}"
        table.add_row(name, f.value or "", str(f.page or ""), f.method or "", conf)
    out.print(table)
    if doc.error:
        out.print(f"[red]{doc.error_code}: {doc.error}[/]")
    for sig in doc.signatures:
        state = "nguyên vẹn" if sig.intact else ("ĐÃ BỊ SỬA SAU KHI KÝ" if sig.intact is False else "không kiểm tra được")
        out.print(f"Chữ ký số: {sig.signer} lúc {sig.signing_time}: {state}")


def validate(
    root: str = typer.Argument(..., help="Thư mục gốc minh chứng hoặc s3://bucket/prefix"),
    year: int = typer.Option(..., "--year", "-y"),
    framework: str | None = typer.Option(None, "--framework", "-f"),
) -> None:
    """Kiểm tra định dạng units.yaml, bộ chỉ số và các tệp kê khai, không đọc tệp minh chứng."""
    from kiemchung.flows.validation import validate_root

    try:
        problems, warnings = validate_root(root, year, framework)
    except KiemchungError as exc:
        fail(exc)
    for w in warnings:
        out.print(f"[yellow]Lưu ý:[/] {w}")
    for p in problems:
        out.print(f"[red]Lỗi:[/] {p}")
    if problems:
        out.print(f"{len(problems)} lỗi định dạng.")
        raise typer.Exit(ConfigError.exit_code)
    out.print("Không có lỗi định dạng.")


def serve(
    root: str = typer.Argument(..., help="Thư mục gốc minh chứng hoặc s3://bucket/prefix"),
    year: int = typer.Option(..., "--year", "-y"),
    out_dir: str = typer.Option(..., "--out", "-o"),
    cron: str = typer.Option("0 1 * * *", help="Lịch chạy (cron, giờ Việt Nam)"),
    framework: str | None = typer.Option(None, "--framework", "-f"),
) -> None:
    """Đăng ký lịch chạy hằng đêm (deployment prescreen/nightly) và phục vụ nó từ tiến trình này."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    from kiemchung.flows.deploy import serve_nightly

    serve_nightly(root, out_dir, year, cron=cron, framework=framework)


def deploy(
    root: str = typer.Argument(..., help="Thư mục gốc minh chứng hoặc s3://bucket/prefix"),
    year: int = typer.Option(..., "--year", "-y"),
    out_dir: str = typer.Option(..., "--out", "-o"),
    pool: str = typer.Option("kiemchung", help="Tên work pool (loại process)"),
    cron: str = typer.Option("0 1 * * *", help="Lịch chạy (cron, giờ Việt Nam)"),
    framework: str | None = typer.Option(None, "--framework", "-f"),
    units_on_pool: bool = typer.Option(True, help="Mỗi đơn vị chạy thành một lượt riêng trên worker"),
) -> None:
    """Tạo các deployment trên work pool (cần máy chủ Prefect: PREFECT_API_URL)."""
    from kiemchung.flows.deploy import deploy_to_pool

    for name in deploy_to_pool(pool, root, out_dir, year, cron=cron, framework=framework, units_on_pool=units_on_pool):
        out.print(f"Đã tạo deployment {name} trên work pool {pool}")
    out.print(f"Chạy worker: prefect worker start --pool {pool}   (mở nhiều worker để chạy song song)")


for command in (prescreen, check, web, extract, validate, serve, deploy):
    app.command()(command)
app.add_typer(review_app, name="review")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
