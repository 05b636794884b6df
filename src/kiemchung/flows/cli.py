"""`kiemchung`: prescreen, check, web, extract, validate, review import/history.

Exit codes: 0 done (flags are results, not failures); 1 unexpected error; 2 invalid input
(units.yaml, framework, dossier, settings); 3 setup missing (Tesseract, language data);
4 storage unreachable; 5 the run finished but some units could not be checked.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from kiemchung.core.errors import ConfigError, KiemchungError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Tiền kiểm minh chứng đánh giá, xếp hạng chuyển đổi số.")
console = Console(stderr=True)
out = Console()

EXIT_PARTIAL = 5

# Prefect's ephemeral mode (no server configured) needs a little care on a cold machine.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def _fail(exc: KiemchungError) -> None:
    console.print(f"[bold red]Lỗi:[/] {exc}")
    raise typer.Exit(exc.exit_code)


@app.command()
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
        _fail(exc)
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


@app.command()
def check(
    source: Path = typer.Argument(..., help="Thư mục hồ sơ của đơn vị (dossier.xlsx|csv và các tệp) hoặc tệp ZIP của thư mục đó"),
    unit: str = typer.Option(..., "--unit", "-u", help="Mã đơn vị"),
    year: int = typer.Option(..., "--year", "-y", help="Năm đánh giá"),
    framework: str | None = typer.Option(None, "--framework", "-f", help="Mã bộ chỉ số có sẵn hoặc đường dẫn YAML"),
    units_file: Path | None = typer.Option(None, "--units", exists=True, dir_okay=False, help="units.yaml chứa đơn vị (mặc định: danh sách có sẵn của Đà Nẵng)"),
    unit_name: str | None = typer.Option(None, "--unit-name", help="Tên đơn vị, khi không có trong danh sách"),
    group: str | None = typer.Option(None, "--group", help="Nhóm: so-nganh, don-vi-truc-thuoc, trung-uong, quan-huyen, phuong-xa"),
    leaders: list[str] = typer.Option([], "--leader", help="Lãnh đạo được ký: 'Họ tên, chức vụ' (lặp lại; người đầu là thủ trưởng)"),
    out_dir: Path | None = typer.Option(None, "--out", "-o", help="Nơi ghi báo cáo (mặc định: thư mục <tên>-kiemchung bên cạnh)"),
) -> None:
    """Đơn vị tự kiểm tra hồ sơ của mình trước khi nộp: cùng các bước kiểm tra như tiền kiểm."""
    from kiemchung.flows.terminal import print_check
    from kiemchung.flows.unitcheck import UnitChoice, check_input

    choice = UnitChoice(code=unit, units_file=units_file, name=unit_name, group=group, leaders=leaders)
    try:
        result = check_input(source, choice, year=year, framework=framework, out_dir=out_dir)
    except KiemchungError as exc:
        _fail(exc)
    print_check(result.report, result.framework, out, where=str(result.out_dir))
    if result.report.error:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def web(
    host: str = typer.Option("127.0.0.1", "--host", help="Địa chỉ lắng nghe"),
    port: int = typer.Option(8080, "--port", help="Cổng"),
) -> None:
    """Trang web để đơn vị tải hồ sơ lên và tự kiểm tra (không cần cài Python)."""
    from kiemchung.flows.web.server import serve_web

    try:
        serve_web(host=host, port=port)
    except KiemchungError as exc:
        _fail(exc)


@app.command()
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
        _fail(exc)
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


@app.command()
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
        _fail(exc)
    for w in warnings:
        out.print(f"[yellow]Lưu ý:[/] {w}")
    for p in problems:
        out.print(f"[red]Lỗi:[/] {p}")
    if problems:
        out.print(f"{len(problems)} lỗi định dạng.")
        raise typer.Exit(ConfigError.exit_code)
    out.print("Không có lỗi định dạng.")


@app.command()
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


@app.command()
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


review_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Kết luận rà soát của đoàn kiểm tra: nhập từ flags.xlsx, xem lịch sử.",
)
app.add_typer(review_app, name="review")


@review_app.command("import")
def review_import(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="flags.xlsx đã điền cột Kết luận"),
    out_dir: str = typer.Option(..., "--out", "-o", help="Nơi ghi báo cáo (thư mục hoặc s3://…)"),
    year: int = typer.Option(..., "--year", "-y", help="Năm đánh giá"),
    unit: str = typer.Option(..., "--unit", "-u", help="Mã đơn vị"),
    by: str | None = typer.Option(None, "--by", help="Người rà soát, khi cột Người rà soát để trống"),
) -> None:
    """Ghi nhận kết luận từ flags.xlsx vào lịch sử rà soát; áp dụng từ lần chạy prescreen tiếp theo."""
    from kiemchung.flows.reviews import import_review
    from kiemchung.flows.settings import Settings
    from kiemchung.storage import open_store

    try:
        store = open_store(out_dir)
        result = import_review(
            store,
            prefix=Settings.from_env().reports_prefix,
            year=year,
            unit=unit,
            data=file.read_bytes(),
            source=file.name,
            by=by,
        )
    except KiemchungError as exc:
        _fail(exc)
    out.print(f"Đã ghi nhận {result.applied} kết luận từ {file.name} vào {store.root}/{result.key}")
    if result.outcome.outdated:
        out.print(
            f"{result.outcome.outdated} kết luận cho cảnh báo đã thay đổi từ khi lập flags.xlsx (tệp hoặc dòng kê khai "
            "đã sửa): đã ghi nhận, lần chạy sau sẽ hiện 'Cần xem lại' bên cảnh báo mới."
        )
    if result.outcome.unchanged:
        out.print(f"{result.outcome.unchanged} dòng giữ nguyên kết luận đã có: không ghi lại.")
    for problem in result.record.problems:
        out.print(f"[red]Không nhập:[/] {problem}")
    out.print("Kết luận được áp dụng vào điểm và báo cáo từ lần chạy prescreen tiếp theo.")
    if result.record.problems:
        raise typer.Exit(EXIT_PARTIAL if result.applied else ConfigError.exit_code)


@review_app.command("history")
def review_history(
    out_dir: str = typer.Option(..., "--out", "-o", help="Nơi ghi báo cáo (thư mục hoặc s3://…)"),
    year: int = typer.Option(..., "--year", "-y", help="Năm đánh giá"),
    unit: str = typer.Option(..., "--unit", "-u", help="Mã đơn vị"),
    as_json: bool = typer.Option(False, "--json", help="In các bản ghi dạng JSON"),
) -> None:
    """In lịch sử rà soát của một đơn vị: mỗi lần nhập, ai, lúc nào, từ tệp nào, kết luận gì."""
    from kiemchung.flows.reviews import read_history, unit_folder
    from kiemchung.flows.settings import Settings
    from kiemchung.storage import open_store

    try:
        store = open_store(out_dir)
        records, warnings = read_history(store, unit_folder(Settings.from_env().reports_prefix, year, unit))
    except KiemchungError as exc:
        _fail(exc)
    if as_json:
        data = [r.model_dump(mode="json", by_alias=True) | {"record": name} for name, r in records]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    _print_history(unit, year, records)
    for warning in warnings:
        out.print(f"[yellow]{warning}[/]")


def _print_history(unit: str, year: int, records) -> None:
    """One block per import, one line per decision (ids whole: they are what people search for)."""
    from rich.markup import escape

    from kiemchung.checks.report.fmt import fmt_datetime
    from kiemchung.checks.report.labels import decision_label

    if not records:
        out.print(f"Đơn vị {unit} năm {year} chưa có kết luận rà soát nào.")
        return
    for name, record in records:
        how = "thả vào thư mục reviews/" if record.source.via == "drop" else "lệnh review import"
        who = f", người nhập {record.by}" if record.by else ""
        out.print(
            f"[bold]{fmt_datetime(record.at)}[/] {escape(record.source.file)} "
            f"(SHA-256 {record.source.sha256}; {how}{escape(who)}; bản ghi {name})",
            soft_wrap=True,
        )
        for d in record.decisions:
            note = f" · “{d.note}”" if d.note else ""
            line = f"  {d.id} · tiêu chí {d.criterion or '-'} · {d.code or '-'} · {decision_label(d.decision)} · {d.by}{note}"
            out.print(escape(line), soft_wrap=True)
        for problem in record.problems:
            out.print(f"  [red]Không nhập:[/] {escape(problem)}", soft_wrap=True)
    out.print(f"{len(records)} lần nhập, {sum(len(r.decisions) for _, r in records)} kết luận.")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
