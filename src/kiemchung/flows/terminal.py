"""`kiemchung check` in the terminal: the unit's flags grouped by criterion, with the points at risk.

Rich prints colours only on a terminal (plain text when piped), so the same function serves both.
"""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.markup import escape

from kiemchung.checks.report.labels import FLAG_LABELS
from kiemchung.core.model import Framework, Severity, UnitReport


def _pts(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def criterion_points(report: UnitReport) -> dict[str, tuple[float, float]]:
    """Criterion -> (self-assessed points, points the evidence supports)."""
    claimed: dict[str, float] = defaultdict(float)
    supported: dict[str, float] = defaultdict(float)
    for claim in report.claims:
        claimed[claim.criterion] = max(claimed[claim.criterion], claim.self_score or 0.0)
        supported[claim.criterion] = max(supported[claim.criterion], claim.supported_score)
    return {code: (claimed[code], supported[code]) for code in claimed}


def _sort_key(code: str | None) -> tuple:
    parts = (code or "").split(".")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def print_check(report: UnitReport, framework: Framework, console: Console, *, where: str) -> None:
    unit = report.unit
    console.print(f"[bold]Tự kiểm tra hồ sơ: {escape(unit.name)} ({escape(unit.code)}), năm {report.year}[/] — bộ chỉ số {escape(framework.id)}")
    if report.error:
        console.print(f"[bold red]Không kiểm tra được hồ sơ:[/] {escape(report.error)}")
        return
    by_criterion = defaultdict(list)
    for flag in report.flags:
        by_criterion[flag.criterion].append(flag)
    points = criterion_points(report)
    for code in sorted(by_criterion, key=_sort_key):
        criterion = framework.criterion(code) if code else None
        title = criterion.title if criterion else "(không có trong bộ chỉ số)"
        claimed, supported = points.get(code or "", (0.0, 0.0))
        risk = max(0.0, claimed - supported)
        risk_text = f" — [red]có thể mất {_pts(risk)} điểm[/]" if risk else ""
        console.print(f"\n[bold cyan]Tiêu chí {escape(code or '-')}[/] {escape(title)}: tự chấm {_pts(claimed)}{risk_text}")
        for flag in by_criterion[code]:
            colour, word = ("red", "Lỗi") if flag.severity == Severity.ERROR else ("yellow", "Lưu ý")
            row = f"dòng {flag.row}" if flag.row is not None else "cả tiêu chí"
            console.print(
                f"  [{colour}]{word}[/] ({row}) {escape(FLAG_LABELS.get(flag.code, flag.code.value))}: {escape(flag.message)}",
                soft_wrap=True,
            )
    s = report.summary
    ok = s.claims - s.flagged
    console.print(
        f"\n{s.claims} dòng kê khai, {ok} dòng không có cảnh báo; {s.errors} cảnh báo lỗi, {s.warnings} lưu ý. "
        f"Tự chấm {_pts(s.self_score)} điểm ({s.rank_self or '-'}); có minh chứng {_pts(s.supported_score)} điểm "
        f"({s.rank_supported or '-'}); [bold]có thể mất {_pts(s.points_at_risk)} điểm[/]."
    )
    if report.processing.failed:
        for line in report.processing.failed:
            console.print(f"[yellow]Chưa đọc được:[/] {escape(line)}")
    console.print("Không đối chiếu trùng lặp với đơn vị khác (chỉ đoàn kiểm tra thấy hồ sơ của mọi đơn vị).")
    console.print(f"Báo cáo: {escape(where)}/report.html, flags.xlsx, report.json")
