"""bench/claims.py on documents the test makes (CI has no shared/realdocs): the root it builds
carries the planted problems, the real pre-screen runs on it, and the score counts each
planted problem as caught and each flag on a correct claim with its cause."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from docgen import DocSpec, make_docx, make_pdf

from kiemchung.checks.loaders import load_units
from kiemchung.core.text import same_name
from kiemchung.flows.prescreen import prescreen

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import claims  # noqa: E402
from claims_score import render_md, score  # noqa: E402

D = dt.date
BODY = [
    "Căn cứ Quyết định số 2386/QĐ-UBND ngày 05 tháng 11 năm 2025 của Ủy ban nhân dân thành phố "
    "Đà Nẵng ban hành Bộ chỉ số đánh giá, xếp hạng chuyển đổi số;",
    "Cơ quan ban hành văn bản này để triển khai các nhiệm vụ chuyển đổi số trong năm.",
]
PLAN = DocSpec(
    issuer="SỞ Y TẾ",
    parent="UBND THÀNH PHỐ ĐÀ NẴNG",
    title="Chuyển đổi số năm 2025 của Sở Y tế",
    number="131/KH-SYT",
    date=D(2025, 9, 18),
    type_name="KẾ HOẠCH",
    body=BODY,
    authority=["GIÁM ĐỐC"],
    signer="Ngô Quang Hòa",
    recipients=["Như trên;", "Lưu: VT, VP."],
)
DRAFT = dataclasses.replace(PLAN, draft=True, number=None, symbol_hint="KH-SYT", date=None, year_hint=2025, signer=None)
WARD_LETTER = DocSpec(
    issuer="ỦY BAN NHÂN DÂN\nPHƯỜNG THẠC GIÁN",
    parent=None,
    title="V/v triển khai nền tảng số cộng đồng",
    number="45/UBND-VP",
    date=D(2025, 6, 3),
    body=BODY,
    authority=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    signer="Lê Văn Hiệp",
    recipients=["Như trên;", "Lưu: VT."],
)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> list[claims.TruthDoc]:
    """Three documents and their truth. The ward's letter is filed under another ward (its
    truth names Hải Châu): a flag the benchmark must list, with what was read."""
    folder = tmp_path_factory.mktemp("made")
    plan = make_pdf(PLAN, folder / "kh-131.pdf")
    draft = make_pdf(DRAFT, folder / "kh-du-thao.pdf")
    letter = make_docx(WARD_LETTER, folder / "cv-45.docx")
    return [
        claims.TruthDoc(plan, "text-pdf", "Sở Y tế thành phố Đà Nẵng", "131/KH-SYT", PLAN.date, PLAN.signer, "GIÁM ĐỐC"),
        claims.TruthDoc(draft, "text-pdf", "Sở Y tế thành phố Đà Nẵng", None, None, None, draft=True,
                        printed_symbol="KH-SYT", year_hint=2025),
        claims.TruthDoc(letter, "docx", "Ủy ban nhân dân phường Hải Châu", "45/UBND-VP", WARD_LETTER.date,
                        WARD_LETTER.signer, "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"),
    ]


@pytest.fixture(scope="module")
def bench_run(made, prefect_harness, tmp_path_factory):
    work = tmp_path_factory.mktemp("claims")
    plans = claims.build_root(made, work / "root", seed=3, plant_all=True)
    result = prescreen(root=str(work / "root"), year=claims.YEAR, out=str(work / "out"))
    assert not result.failed
    return work, plans, score(plans, work / "out" / str(claims.YEAR))


def test_planted_problems_are_what_they_say(made):
    units = claims.plan_units(made)
    plans = claims.plan_claims(made, units, seed=3, share=0.5, plant_all=True)
    by_problem = {(p.source, p.problem): p for p in plans}
    assert sorted(p.problem or "" for p in plans if p.source == "kh-131.pdf") == ["", "date", "number", "signer"]
    number = by_problem[("kh-131.pdf", "number")].claimed["number"]
    assert number.endswith("/KH-SYT") and abs(int(number.split("/")[0]) - 131) in (1, 10, 100)
    date = D.fromisoformat(by_problem[("kh-131.pdf", "date")].claimed["date"])
    assert 1 <= abs((date - PLAN.date).days) <= 4
    assert not same_name(by_problem[("kh-131.pdf", "signer")].claimed["signer"], PLAN.signer)
    draft = by_problem[("kh-du-thao.pdf", "draft")]
    assert re.fullmatch(r"\d+/KH-SYT", draft.claimed["number"]) and draft.claimed["date"].startswith("2025-")
    correct = by_problem[("cv-45.docx", None)]
    assert correct.claimed == {"number": "45/UBND-VP", "date": "2025-06-03", "signer": "Lê Văn Hiệp"}
    # Seeded: the same seed gives the same claims; a share of 0 plants nothing but the drafts.
    assert claims.plan_claims(made, units, seed=3, share=0.5, plant_all=True) == plans
    assert {p.problem for p in claims.plan_claims(made, units, seed=3, share=0.0)} == {None, "draft"}


def test_root_holds_units_dossiers_and_copies(bench_run, made):
    work, plans, _ = bench_run
    root = work / "root"
    units = {u.code: u for u in load_units((root / "units.yaml").read_text(encoding="utf-8"))}
    syt = units["SYT"]
    assert (syt.name, syt.symbol) == ("Sở Y tế", "SYT")  # the name its header prints
    assert [a.name for a in syt.aliases] == ["Sở Y tế thành phố Đà Nẵng"]
    assert [leader.name for leader in units["UBND"].leaders] == ["Lê Văn Hiệp"]
    for code in {p.unit for p in plans}:
        with (root / str(claims.YEAR) / code / "dossier.csv").open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        mine = sorted((p for p in plans if p.unit == code), key=lambda p: p.row)
        assert [r["doc_number"] for r in rows] == [p.claimed["number"] for p in mine]
        assert [r["file"] for r in rows] == [p.file for p in mine]
    for doc in made:  # copied, byte for byte
        copy = next(root.rglob(doc.path.name))
        assert copy.read_bytes() == doc.path.read_bytes() and copy != doc.path


def test_planted_problems_are_caught_and_scored(bench_run):
    _, plans, result = bench_run
    pdf, word = result["kinds"]["text PDF"], result["kinds"]["Word"]
    assert (pdf["files"], pdf["correct"], pdf["no_error"], pdf["no_flag"]) == (2, 1, 1, 1)
    for problem in ("number", "date", "signer"):
        assert pdf["planted"][problem] == {"n": 1, "error": 1, "warning": 0, "warning_also_on_correct": 0}
        assert word["planted"][problem]["error"] == 1
    assert pdf["planted"]["draft"]["n"] == pdf["planted"]["draft"]["error"] == 1
    assert result["missed"] == []
    assert all(result["outcomes"][f"{p.unit}#{p.row}"]["caught"] == "error" for p in plans if p.problem)


def test_flags_on_correct_claims_are_listed_with_their_cause(bench_run):
    _, _, result = bench_run
    word = result["kinds"]["Word"]
    assert (word["correct"], word["no_error"], word["no_flag"]) == (1, 0, 0)
    [wrong] = result["wrong_flags"]
    assert (wrong["code"], wrong["severity"], wrong["file"]) == ("ISSUER_MISMATCH", "error", "cv-45.docx")
    assert wrong["truth"] == "Ủy ban nhân dân phường Hải Châu"
    assert "THẠC GIÁN" in wrong["read"]["value"].upper()
    text = render_md(result)
    assert "| text PDF | 2 | 1 | 1.00 (1/1) | 1.00 (1/1) | 1.00 (1/1: 1E+0W) |" in text
    assert "ISSUER_MISMATCH (error) cv-45.docx: truth `Ủy ban nhân dân phường Hải Châu`" in text
    assert "Planted problems missed (0):" in text
