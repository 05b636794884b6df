"""A synthetic city: N units x M proof files each, about a third of them scanned.

    .venv/bin/python bench/city.py --units 10 [--files 40] [--seed 0]

Writes (and caches) `bench/work/city-u<N>-f<M>-s<seed>/` with `root/` (units.yaml,
`2024/<UNIT>/dossier.csv` and the files) and `truth.json` (number, date, signer, type, kind and
pages of every file). Deterministic for given arguments.

How it stays fast: born-digital PDFs and Word files are drawn per unit (own issuer, numbers,
dates, signers: distinct content and bytes, ~0.07 s each). Scans (1-6 pages, 0.8 s per page to
draw) and phone photos (1.2 s) come from a shared pool of distinct documents drawn once
(`bench/work/pool-*`); a unit's copy gets distinct bytes by restamping a fixed-length tag in the
PDF title or the photo's EXIF time. So the content-hash cache sees every copy as a new file and
Tesseract does the full work on each (its cost is per pixel, not per distinct document), but
the text of pooled scans repeats across units: their issuer is another unit's and the
cross-unit duplicate check flags them (same number, issuer, date). That changes flags, not cost.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "bench" / "work"
sys.path[:0] = [str(REPO / "tests"), str(REPO / "sample_evidence")]

from docgen import DocSpec, _layout, make_docx, make_pdf, make_photo_jpeg, make_scan_pdf  # noqa: E402
from make_samples import VI_HEADERS, body_bc, body_kh, body_qd, rec  # noqa: E402

YEAR = 2024
# Share of each kind among a unit's files: a third scanned (scan PDFs and photos).
KIND_WEIGHTS = {"pdf": 0.60, "docx": 0.07, "scan": 0.22, "photo": 0.11}
PAGE_WEIGHTS = {1: 30, 2: 28, 3: 16, 4: 11, 5: 8, 6: 7}  # realistic 1-6 pages, mean ~2.5
POOL_SCANS, POOL_PHOTOS = 120, 60
SCAN_TAG = "T" * 12  # restamped per copy; same length keeps the PDF's xref offsets valid
PHOTO_TAG = b"2024:12:02 09:14:27"  # EXIF DateTime written by docgen

CITY = "UBND THÀNH PHỐ ĐÀ NẴNG"
DEPARTMENTS = [
    ("SYT", "Sở Y tế"), ("SGDĐT", "Sở Giáo dục và Đào tạo"), ("SXD", "Sở Xây dựng"),
    ("STC", "Sở Tài chính"), ("SNV", "Sở Nội vụ"), ("SKHĐT", "Sở Kế hoạch và Đầu tư"),
    ("STNMT", "Sở Tài nguyên và Môi trường"), ("SCT", "Sở Công Thương"),
    ("SNN", "Sở Nông nghiệp và Phát triển nông thôn"), ("SLĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
    ("SVHTT", "Sở Văn hóa và Thể thao"), ("SDL", "Sở Du lịch"), ("STP", "Sở Tư pháp"),
    ("SGTVT", "Sở Giao thông vận tải"), ("SKHCN", "Sở Khoa học và Công nghệ"),
    ("STTTT", "Sở Thông tin và Truyền thông"), ("TTTP", "Thanh tra thành phố"),
    ("VPUBND", "Văn phòng UBND thành phố"), ("BQLKKT", "Ban Quản lý Khu công nghệ cao"),
    ("SNGV", "Sở Ngoại vụ"),
]
# Units without procedures and central agencies in the city.
OTHER_BODIES = [
    ("PTTH", "Đài Phát thanh - Truyền hình Đà Nẵng"), ("VHTT", "Viện Nghiên cứu phát triển kinh tế - xã hội"),
    ("BQLDA", "Ban Quản lý dự án đầu tư xây dựng"), ("QLCNC", "Ban Quản lý Khu công nghệ cao"),
    ("CTDNA", "Cục Thuế thành phố Đà Nẵng"), ("HQĐNg", "Cục Hải quan thành phố Đà Nẵng"),
    ("KBNN", "Kho bạc Nhà nước Đà Nẵng"), ("BHXH", "Bảo hiểm xã hội thành phố Đà Nẵng"),
    ("CTK", "Cục Thống kê thành phố Đà Nẵng"), ("NHNN", "Ngân hàng Nhà nước chi nhánh Đà Nẵng"),
]
WARDS = [
    "Hải Châu", "Thạch Thang", "Thạc Gián", "Phước Ninh", "Hòa Thuận Tây", "Bình Hiên", "Nam Dương",
    "Hòa Cường Bắc", "Thanh Khê Đông", "An Khê", "Chính Gián", "Tam Thuận", "Xuân Hà", "Thọ Quang",
    "Mân Thái", "An Hải Bắc", "Phước Mỹ", "Mỹ An", "Khuê Mỹ", "Hòa Hải", "Hòa Quý", "Hòa Minh",
    "Hòa Khánh Bắc", "Hòa Hiệp Nam", "Khuê Trung", "Hòa Phát", "Hòa Xuân", "Hòa Thọ Đông",
    "Hòa Bắc", "Hòa Ninh", "Hòa Sơn", "Hòa Liên", "Hòa Phong", "Hòa Tiến", "Hòa Châu",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Ngô", "Đoàn"]
MIDDLES = ["Văn", "Thị", "Quang", "Minh", "Thanh", "Hữu", "Ngọc", "Thị Thu", "Đức", "Hoài"]
GIVENS = ["Hòa", "Hương", "Sơn", "Trung", "Bình", "Thủy", "Hiếu", "Nam", "Vân", "Hằng", "Phúc",
          "Tâm", "Long", "Lan", "Dũng", "Hải", "Khánh", "Tuấn", "Yến", "Quân"]
# criterion -> (type abbreviation, type name or None for a công văn, title with {who})
CRITERIA = {
    "1.1": ("KH", "KẾ HOẠCH", "Chuyển đổi số năm 2024 của {who}"),
    "1.2": ("QĐ", "QUYẾT ĐỊNH", "Về việc kiện toàn Ban Chỉ đạo chuyển đổi số của {who}"),
    "1.3": ("TB", "THÔNG BÁO", "Kết luận của lãnh đạo {who} tại cuộc họp về chuyển đổi số"),
    "1.4": ("KH", "KẾ HOẠCH", "Tuyên truyền hưởng ứng Ngày Chuyển đổi số thành phố năm 2024"),
    "2.1": ("QĐ", "QUYẾT ĐỊNH", "Ban hành Quy chế quản lý, sử dụng chữ ký số của {who}"),
    "2.2": ("QĐ", "QUYẾT ĐỊNH", "Ban hành Quy chế bảo đảm an toàn thông tin mạng của {who}"),
    "2.3": ("KH", "KẾ HOẠCH", "Ứng phó sự cố bảo đảm an toàn thông tin mạng năm 2024"),
    "3.1": ("BC", "BÁO CÁO", "Hiện trạng hạ tầng công nghệ thông tin của {who} năm 2024"),
    "4.2": ("CV", None, "Kết nối, chia sẻ dữ liệu với nền tảng tích hợp của thành phố"),
    "5.1": ("BC", "BÁO CÁO", "Kết quả xử lý văn bản điện tử, ký số năm 2024"),
    "5.2": ("CV", None, "Sử dụng nền tảng họp trực tuyến của thành phố"),
    "6.1": ("BC", "BÁO CÁO", "Kết quả cung cấp dịch vụ công trực tuyến năm 2024"),
    "7.2": ("KH", "KẾ HOẠCH", "Đào tạo, bồi dưỡng kỹ năng số cho cán bộ năm 2024"),
    "8.1": ("QĐ", "QUYẾT ĐỊNH", "Về việc thành lập Tổ công nghệ số cộng đồng"),
    "9.2": ("TB", "THÔNG BÁO", "Công nhận sáng kiến, mô hình chuyển đổi số năm 2024"),
}
NOT_FOR = {"6.1": {"don-vi-truc-thuoc", "trung-uong"}, "8.1": {"so-nganh", "don-vi-truc-thuoc", "trung-uong"}}


@dataclass
class CityUnit:
    code: str
    name: str
    group: str
    symbol: str
    parent: str | None
    issuer: str
    leaders: list[str]  # head first

    @property
    def ward(self) -> bool:
        return self.group == "phuong-xa"


@dataclass
class Truth:
    file: str  # relative to the unit folder
    kind: str  # pdf | docx | scan | photo
    pages: int
    number: str
    date: str
    signer: str
    type: str
    criterion: str
    title: str


def make_units(n: int) -> list[CityUnit]:
    """Groups in the 2023 proportions (20 departments, 4, 6, 7 districts, the rest wards)."""
    rng = random.Random(1000 + n)
    plan = [("so-nganh", 20), ("don-vi-truc-thuoc", 4), ("trung-uong", 6), ("quan-huyen", 7)]
    groups = [g for g, k in plan for _ in range(max(1, round(k * n / 130)))][: n - max(1, n // 2)]
    groups += ["phuong-xa"] * (n - len(groups))
    units = []
    for i, group in enumerate(groups):
        people = [f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}" for _ in range(3)]
        if group == "phuong-xa" or group == "quan-huyen":
            place = WARDS[i % len(WARDS)] + ("" if i < len(WARDS) else f" {i // len(WARDS) + 1}")
            kind = "PHƯỜNG" if group == "phuong-xa" else "QUẬN"
            name = f"Ủy ban nhân dân {kind.lower()} {place}"
            issuer = f"ỦY BAN NHÂN DÂN\n{kind} {place.upper()}"
            units.append(CityUnit(f"U{i:03d}", name, group, "UBND", None, issuer, people))
        else:
            bodies = DEPARTMENTS if group == "so-nganh" else OTHER_BODIES
            symbol, name = bodies[i % len(bodies)]
            if sum(u.symbol == symbol for u in units):
                symbol, name = f"{symbol}{i}", f"{name} {i}"
            units.append(CityUnit(f"U{i:03d}", name, group, symbol, CITY, name.upper(), people))
    return units


def _body(abbr: str, unit: CityUnit, title: str) -> list[str]:
    if abbr == "KH":
        return body_kh(unit.name, title.lower())
    if abbr == "QĐ":
        head = ("CHỦ TỊCH " if unit.ward else "GIÁM ĐỐC ") + unit.name.upper()
        return body_qd(head, ["Điều 1. " + title + ".", "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./."])
    basis = "Thực hiện Kế hoạch chuyển đổi số năm 2024"
    return body_bc(unit.name, basis, ["1. Hoàn thành các nhiệm vụ: " + title.lower() + "."])


def make_spec(unit: CityUnit, criterion: str, seq: int, rng: random.Random, pages: int) -> tuple[DocSpec, Truth]:
    abbr, type_name, title = CRITERIA[criterion]
    title = title.format(who=unit.name)
    number = f"{seq:02d}/{unit.symbol}-VP" if abbr == "CV" else f"{seq:02d}/{abbr}-{unit.symbol}"
    date = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(360))
    deputy = rng.random() < 0.4
    if unit.ward:
        authority = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] if deputy else ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    else:
        authority = ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] if deputy else ["GIÁM ĐỐC"]
    signer = unit.leaders[1 + rng.randrange(2)] if deputy else unit.leaders[0]
    spec = DocSpec(
        issuer=unit.issuer, parent=unit.parent, number=number, date=date, type_name=type_name,
        title=title, body=_body(abbr, unit, title), authority=authority, signer=signer,
        recipients=rec("Như trên;", "Sở Khoa học và Công nghệ;"), pages=pages,
        addressees=["Sở Khoa học và Công nghệ"] if type_name is None else [],
    )
    # The page count is what the layout gives (a long body runs past `pages`).
    layout = _layout(spec)[1]
    truth = Truth("", "", layout.pages, number, date.isoformat(), signer, abbr, criterion, title)
    truth.signer_on_page_1 = layout.sig_page == 0  # type: ignore[attr-defined]
    return spec, truth


def _pick(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _criterion(rng: random.Random, group: str) -> str:
    return rng.choice([c for c in CRITERIA if group not in NOT_FOR.get(c, set())])


# ---------------------------------------------------------------------------- the scan pool


def _pool_item(kind: str, index: int, folder: Path) -> tuple[DocSpec, Truth]:
    rng = random.Random(f"pool-{kind}-{index}")
    unit = make_units(130)[index % 130]
    pages = 1 if kind == "photo" else _pick(rng, PAGE_WEIGHTS)
    spec, truth = make_spec(unit, _criterion(rng, unit.group), 100 + index, rng, pages)
    name = f"scan-{index:03d}-{SCAN_TAG}.pdf" if kind == "scan" else f"photo-{index:03d}.jpg"
    truth.kind, truth.file = kind, str(folder / name)
    if kind == "photo":  # a photo shows page 1: the signer only when the signature is there
        truth.pages = 1
        truth.signer = truth.signer if truth.signer_on_page_1 else None  # type: ignore[attr-defined]
    return spec, truth


def _draw_pool_item(args: tuple) -> None:
    kind, index, folder = args
    spec, truth = _pool_item(kind, index, Path(folder))
    if kind == "scan":
        make_scan_pdf(spec, truth.file, seed=index)
    else:
        make_photo_jpeg(spec, truth.file, seed=index, exif_rotate=index % 7 == 3)


def build_pool(workers: int = 2) -> list[dict]:
    """Scans and photos shared by all cities (drawn once); each item's truth has its `path`."""
    folder = WORK / f"pool-{POOL_SCANS}x{POOL_PHOTOS}"
    index = folder / "pool.json"
    if index.is_file():
        return json.loads(index.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [("scan", i, str(folder)) for i in range(POOL_SCANS)] + [("photo", i, str(folder)) for i in range(POOL_PHOTOS)]
    missing = [j for j in jobs if not Path(_pool_item(j[0], j[1], folder)[1].file).is_file()]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_draw_pool_item, missing, chunksize=4))
    items = []
    for kind, i, _ in jobs:
        truth = asdict(_pool_item(kind, i, folder)[1])
        truth["path"] = truth.pop("file")
        items.append(truth)
    index.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    return items


def restamp(data: bytes, kind: str, serial: int) -> bytes:
    """Distinct bytes, same pixels: a scan's title tag or a photo's EXIF time (unique per serial)."""
    if kind == "scan":
        old, new = SCAN_TAG.encode("utf-16-be"), f"{serial:012d}".encode("utf-16-be")
    else:
        stamp = dt.datetime(2024, 1, 1) + dt.timedelta(seconds=37 * serial)
        old, new = PHOTO_TAG, stamp.strftime("%Y:%m:%d %H:%M:%S").encode()
    if data.count(old) < 1:
        raise ValueError(f"{kind}: restamp tag not found")
    return data.replace(old, new, 1)


# ---------------------------------------------------------------------------- units


def _write_unit(args: tuple) -> list[dict]:
    unit, files, seed, year_dir, pool = args
    rng = random.Random(f"{seed}-{unit.code}")
    folder = Path(year_dir) / unit.code
    truths: list[Truth] = []
    pooled = {"scan": [p for p in pool if p["kind"] == "scan"], "photo": [p for p in pool if p["kind"] == "photo"]}
    for i in range(files):
        kind = _pick(rng, KIND_WEIGHTS)
        if kind in pooled:
            item = rng.choice(pooled[kind])
            sub = "ban-scan" if kind == "scan" else "anh"
            rel = f"{sub}/{i:02d}-{Path(item['path']).name.replace('-' + SCAN_TAG, '')}"
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(restamp(Path(item["path"]).read_bytes(), kind, (seed * 1000 + int(unit.code[1:])) * 1000 + i))
            truth = Truth(**{k: item[k] for k in Truth.__dataclass_fields__ if k in item and k != "file"}, file=rel)
        else:
            pages = 1 + rng.randrange(2) if kind == "docx" else _pick(rng, PAGE_WEIGHTS)
            spec, truth = make_spec(unit, _criterion(rng, unit.group), i + 1, rng, pages)
            ext = "docx" if kind == "docx" else "pdf"
            truth.file, truth.kind = f"van-ban/{i:02d}-{truth.type}-{i + 1}.{ext}", kind
            (make_docx if kind == "docx" else make_pdf)(spec, folder / truth.file)
        truths.append(truth)
    _write_dossier(folder / "dossier.csv", truths)
    return [asdict(t) for t in truths]


def _write_dossier(path: Path, truths: list[Truth]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(VI_HEADERS)
    for i, t in enumerate(truths, start=1):
        d = dt.date.fromisoformat(t.date)
        w.writerow([i, t.criterion, 2, t.number, d.strftime("%d/%m/%Y"), t.title, t.signer, t.file])
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def _units_yaml(units: list[CityUnit]) -> str:
    lines = ["units:"]
    for u in units:
        lines += [f"  - code: {u.code}", f"    name: {u.name}", f"    group: {u.group}", f"    symbol: {u.symbol}", "    leaders:"]
        head = "Chủ tịch" if u.ward else "Giám đốc"
        for j, person in enumerate(u.leaders):
            role = head if j == 0 else f"Phó {head.lower()}"
            lines.append(f"      - {{name: {person}, role: {role}{', head: true' if j == 0 else ''}}}")
    return "\n".join(lines) + "\n"


def build_city(units: int, files: int = 40, seed: int = 0, *, workers: int = 2, quiet: bool = False) -> Path:
    """The city folder (cached); its `root/` is the evidence root, `truth.json` the truth."""
    folder = WORK / f"city-u{units}-f{files}-s{seed}"
    if (folder / "truth.json").is_file():
        return folder
    start = time.perf_counter()
    pool = build_pool(workers)
    if folder.exists():
        shutil.rmtree(folder)
    root = folder / "root"
    (root / str(YEAR)).mkdir(parents=True)
    city = make_units(units)
    (root / "units.yaml").write_text(_units_yaml(city), encoding="utf-8")
    jobs = [(u, files, seed, str(root / str(YEAR)), pool) for u in city]
    with ProcessPoolExecutor(workers) as ex:
        truth = dict(zip([u.code for u in city], ex.map(_write_unit, jobs), strict=True))
    (folder / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    if not quiet:
        print(f"city {folder.name}: {describe(truth)}; built in {time.perf_counter() - start:.0f} s")
    return folder


def describe(truth: dict) -> str:
    rows = [t for unit in truth.values() for t in unit]
    kinds = {k: sum(t["kind"] == k for t in rows) for k in KIND_WEIGHTS}
    pages = sum(t["pages"] for t in rows)
    return f"{len(truth)} units, {len(rows)} files ({kinds}), {pages} pages"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = build_city(args.units, args.files, args.seed, workers=args.workers)
    print(f"{folder / 'root'}: {describe(json.loads((folder / 'truth.json').read_text(encoding='utf-8')))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
