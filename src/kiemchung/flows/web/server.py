"""`kiemchung web`: uvicorn serving the app in this process (one event loop, a small worker pool)."""

from __future__ import annotations

from kiemchung.flows.settings import Settings
from kiemchung.flows.web.config import WebSettings


def serve_web(*, host: str, port: int) -> None:
    import uvicorn

    from kiemchung.extractors.ocr import ensure_ocr_ready
    from kiemchung.flows.web.app import create_app

    settings = Settings.from_env()
    ensure_ocr_ready(settings.extract_context())  # a missing Tesseract is a setup error now, not on upload 1
    app = create_app(WebSettings.from_env(), settings)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)
