"""The routes: choose year and unit, upload, wait, read the result; a Vietnamese page for every refusal."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import tempfile
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiemchung.checks.builtin_units import builtin_units, builtin_years
from kiemchung.checks.report.html_out import render_report_html
from kiemchung.checks.report.labels import FLAG_LABELS, GROUP_LABELS
from kiemchung.core.errors import KiemchungError
from kiemchung.flows.settings import Settings
from kiemchung.flows.unitcheck import UnitChoice, check_unit_folder, resolve_unit
from kiemchung.flows.unitzip import RefusedInput
from kiemchung.flows.web.config import WebSettings
from kiemchung.flows.web.jobs import Job, JobQueue
from kiemchung.flows.web.uploads import PreparedUpload, Upload, prepare_files, prepare_zip

log = logging.getLogger(__name__)

PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
# The report's own page carries its filter script inline (as report.html does on disk).
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
TZ = dt.timezone(dt.timedelta(hours=7))


def _templates() -> Environment:
    env = Environment(loader=PackageLoader("kiemchung.flows.web", "templates"), autoescape=True)
    env.filters["clock"] = lambda ts: dt.datetime.fromtimestamp(ts, TZ).strftime("%H:%M") if ts else ""
    env.filters["pts"] = lambda v: f"{v:g}".replace(".", ",")
    env.globals["flag_label"] = lambda code: FLAG_LABELS.get(code, str(code))
    env.globals["group_labels"] = GROUP_LABELS
    return env


def create_app(web: WebSettings | None = None, settings: Settings | None = None) -> FastAPI:
    web = web or WebSettings.from_env()
    settings = settings or Settings.from_env()
    jobs_root = web.jobs_dir or Path(tempfile.mkdtemp(prefix="kiemchung-web-"))
    jobs_root.mkdir(parents=True, exist_ok=True)
    queue = JobQueue(jobs_root, workers=web.workers, queue=web.queue, keep_seconds=web.keep_minutes * 60, sweep_seconds=web.sweep_seconds)
    env = _templates()
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        queue.close()

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.queue, app.state.web = queue, web
    static = Path(__file__).with_name("static")

    def page(name: str, status: int = 200, **values) -> HTMLResponse:
        values.setdefault("keep_minutes", f"{web.keep_minutes:g}")
        return HTMLResponse(env.get_template(name).render(**values), status_code=status)

    def refused(message: str, status: int = 400, title: str = "Không nhận hồ sơ") -> HTMLResponse:
        return page("refused.html", status, title=title, message=message)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        if exc.status_code == 404:
            return refused("Không có trang này.", 404, "Không tìm thấy")
        return refused("Yêu cầu không hợp lệ.", exc.status_code, "Yêu cầu không hợp lệ")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> HTMLResponse:
        log.exception("Lỗi khi xử lý %s", request.url.path)
        return refused("Có lỗi ngoài dự kiến. Hãy thử lại sau hoặc báo quản trị hệ thống.", 500, "Có lỗi")

    @app.get("/tinh/style.css")
    def stylesheet() -> FileResponse:
        return FileResponse(static / "style.css", media_type="text/css")

    @app.get("/", response_class=HTMLResponse)
    def upload_form(nam: int | None = None) -> HTMLResponse:
        years = builtin_years()
        year = nam if nam in years else max((y for y in years if y <= dt.date.today().year), default=years[-1])
        return page("upload.html", years=years, year=year, units=builtin_units(year), web=web, busy=queue.busy())

    @app.post("/tai-len")
    async def upload(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            return refused("Trình duyệt không cho biết dung lượng tải lên; hãy dùng biểu mẫu trên trang chủ.", 411)
        if int(length) > web.max_upload_bytes:
            return refused(f"Hồ sơ tải lên có {int(length) / 2**20:.0f} MB, vượt giới hạn {web.max_upload_mb} MB. Hãy nén ảnh, bỏ tệp không được kê khai, hoặc chia nhỏ.", 413, "Hồ sơ quá lớn")
        if queue.busy():
            return page("busy.html", 503)
        try:
            form = await request.form(max_files=web.max_files + 1, max_fields=20, max_part_size=64 * 1024)
        except StarletteHTTPException as exc:
            too_many = "files" in str(exc.detail).lower() or "fields" in str(exc.detail).lower()
            message = f"Tải lên quá nhiều tệp (tối đa {web.max_files} tệp). Hãy nén thư mục hồ sơ thành một tệp ZIP." if too_many else "Dữ liệu tải lên không đúng dạng biểu mẫu."
            return refused(message, 413 if too_many else 400)
        try:
            return await _accept(form)
        finally:
            await form.close()

    async def _accept(form) -> Response:
        try:
            year = int(str(form.get("nam", "")))
            unit, units = resolve_unit(UnitChoice(code=str(form.get("don_vi", "")), leaders=str(form.get("lanh_dao", "")).splitlines()), year)
        except (ValueError, KiemchungError):
            return refused("Hãy chọn năm đánh giá và đơn vị trong danh sách.")
        archive = _file(form.get("ho_so"))
        dossier = _file(form.get("ke_khai"))
        files = [f for f in (_file(x) for x in form.getlist("tep")) if f is not None]
        if archive is None and dossier is None:
            return refused("Hãy chọn tệp ZIP của thư mục hồ sơ, hoặc tệp kê khai (dossier.xlsx hay dossier.csv) cùng các tệp minh chứng.")
        if len(files) > web.max_files:
            return refused(f"Tải lên quá nhiều tệp (tối đa {web.max_files} tệp). Hãy nén thư mục hồ sơ thành một tệp ZIP.", 413)
        job_id, folder = queue.new_folder()
        job = Job(id=job_id, folder=folder, unit_name=unit.name, year=year)
        limits = settings.extract_context().limits
        try:
            prepared: PreparedUpload = await run_in_threadpool(
                lambda: prepare_zip(archive, job.upload_dir, limits) if archive is not None else prepare_files(dossier, files, job.upload_dir)
            )
        except RefusedInput as exc:
            queue.delete_folder(folder)
            return refused(exc.message)

        def work(job: Job):
            def advance(n: int) -> None:
                job.done += n

            def expect(n: int) -> None:
                job.total = n

            return check_unit_folder(prepared.folder, unit, units, year=year, framework=None, out_dir=job.out_dir,
                                     settings=settings, refused=prepared.refused, keep_links=False, progress=advance, expect=expect)

        if not queue.submit(job, work):
            return page("busy.html", 503)
        return RedirectResponse(f"/ket-qua/{job_id}", status_code=303)

    def _job_or_404(job_id: str) -> Job:
        job = queue.get(job_id)
        if job is None:
            raise StarletteHTTPException(404)
        return job

    @app.get("/ket-qua/{job_id}", response_class=HTMLResponse)
    def result(job_id: str) -> HTMLResponse:
        job = queue.get(job_id)
        if job is None:
            return refused(f"Không có kết quả này: đường dẫn sai, hoặc kết quả đã bị xóa (sau {web.keep_minutes:g} phút).", 404, "Không tìm thấy kết quả")
        if job.state in ("queued", "running"):
            return page("progress.html", job=job, position=queue.position(job))
        if job.state == "refused" or job.result is None:
            return refused(job.message or "Không kiểm tra được hồ sơ.", 422, "Không kiểm tra được hồ sơ")
        return page("result.html", job=job, report=job.result.report, expires=queue.expires_at(job))

    @app.get("/ket-qua/{job_id}/bao-cao")
    def report_page(job_id: str) -> HTMLResponse:
        job = _job_or_404(job_id)
        if job.result is None:
            raise StarletteHTTPException(404)
        html = render_report_html(job.result.report, file_links=False, snippets=job.result.snippets, summary_href=None)
        return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP})

    @app.get("/ket-qua/{job_id}/{name}")
    def download(job_id: str, name: str) -> FileResponse:
        job = _job_or_404(job_id)
        if job.result is None or name not in ("flags.xlsx", "report.json"):
            raise StarletteHTTPException(404)
        media = "application/json" if name.endswith(".json") else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        code = job.result.report.unit.code
        return FileResponse(job.out_dir / name, media_type=media, filename=f"{code}-{job.year}-{name}")

    @app.post("/ket-qua/{job_id}/xoa")
    def delete_now(job_id: str) -> RedirectResponse:
        queue.delete(job_id)
        return RedirectResponse("/", status_code=303)

    return app


def _file(value) -> Upload | None:
    if isinstance(value, UploadFile) and value.filename:
        return Upload(name=value.filename, stream=value.file)
    return None
