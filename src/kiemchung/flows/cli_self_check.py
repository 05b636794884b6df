"""`kiemchung check` and `kiemchung web`: a unit checks its own dossier before submitting it, on
the command line (a folder or its ZIP) or in the browser page, with the same checks as prescreen."""

from __future__ import annotations

from pathlib import Path

import typer

from kiemchung.core.errors import KiemchungError
from kiemchung.flows.cli_console import EXIT_PARTIAL, fail, out


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
        fail(exc)
    print_check(result.report, result.framework, out, where=str(result.out_dir))
    if result.report.error:
        raise typer.Exit(EXIT_PARTIAL)


def web(
    host: str = typer.Option("127.0.0.1", "--host", help="Địa chỉ lắng nghe"),
    port: int = typer.Option(8080, "--port", help="Cổng"),
) -> None:
    """Trang web để đơn vị tải hồ sơ lên và tự kiểm tra (không cần cài Python)."""
    from kiemchung.flows.web.server import serve_web

    try:
        serve_web(host=host, port=port)
    except KiemchungError as exc:
        fail(exc)
