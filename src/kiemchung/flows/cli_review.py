"""`kiemchung review import|history`: the inspection team's decisions from flags.xlsx into the
review history, and that history printed per unit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from kiemchung.core.errors import ConfigError, KiemchungError
from kiemchung.flows.cli_console import EXIT_PARTIAL, fail, out

review_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Kết luận rà soát của đoàn kiểm tra: nhập từ flags.xlsx, xem lịch sử.",
)


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
        fail(exc)
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
        fail(exc)
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
