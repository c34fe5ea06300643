"""The local web app, JSON API and one-file HTML report over a storyline store.

    from storyline.web import create_app, serve
    app = create_app("kb.db")                      # FastAPI app; the store is opened read-only
    serve("kb.db", host="127.0.0.1", port=8000)    # uvicorn; other hosts need token=...

    from storyline.web.report import write_report
    write_report(store, None, "story.html")        # one self-contained file, opens offline
"""

from __future__ import annotations

from .app import CSP, create_app, serve
from .report import write_report

__all__ = ["create_app", "serve", "write_report", "CSP"]
