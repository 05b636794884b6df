"""`kiemchung web`: a small site where a unit uploads its dossier and reads the same report the
inspection team will get. FastAPI + uvicorn (installed with Prefect), Jinja2 templates with
autoescape, no JavaScript of ours (the progress page refreshes itself), a strict CSP.

Every upload is hostile input: limits are checked before it is read, ZIPs go through the
pipeline's archive rules, files are read by the pipeline's isolated readers, uploads and reports
are deleted after a time limit.
"""
