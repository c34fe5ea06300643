"""storyline: a source-cited knowledge base of a developing news story.

The Python API the command line is built on::

    import storyline

    with storyline.open_store("kb.db") as store:
        report = storyline.ingest(["articles/"], store)
        data = storyline.export_json(store)          # format storyline/1
        rows = storyline.views.timeline(store)

Importing storyline does not load spaCy; the language pipeline loads on the
first ingest that has documents to annotate (or ``storyline.build_pipeline``).
"""

from __future__ import annotations

from importlib import import_module

from .config import Settings, load_settings
from .errors import ConfigError, IngestError, PipelineError, StoreError, StorylineError
from .model import (
    Conflict,
    DocAnnotations,
    DocRecord,
    Document,
    Entity,
    Event,
    EventMention,
    Figure,
    LocalEntity,
    Published,
    Quote,
    Resolution,
    Span,
    Story,
    TimeExpr,
    When,
)

# Heavier layers load on first use, so `import storyline.model` stays cheap.
_LAZY = {
    "views": ("storyline.views", None),
    "export_json": ("storyline.export", "export_json"),
    "write_export": ("storyline.export", "write_export"),
    "IngestFailure": ("storyline.readers", "IngestFailure"),
    "read_bytes": ("storyline.readers", "read_bytes"),
    "read_paths": ("storyline.readers", "read_paths"),
    "Store": ("storyline.kb", "Store"),
    "open_store": ("storyline.kb", "open_store"),
    "resolve": ("storyline.resolve", "resolve"),
    "IngestReport": ("storyline.run", "IngestReport"),
    "ingest": ("storyline.run", "ingest"),
    "reannotate": ("storyline.run", "reannotate"),
    "reresolve": ("storyline.run", "reresolve"),
}


def __getattr__(name: str):
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'storyline' has no attribute {name!r}") from None
    mod = import_module(module)
    value = mod if attr is None else getattr(mod, attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"


def build_pipeline(settings: Settings | None = None):
    """The spaCy pipeline with storyline's components (load once per process)."""
    from .nlp import build_pipeline as _build

    return _build(settings or Settings())


def annotate(documents, nlp=None, settings: Settings | None = None):
    """Annotate Documents in nlp.pipe batches; yields DocAnnotations."""
    from .nlp import annotate as _annotate

    return _annotate(documents, nlp, settings)


__all__ = [
    "__version__",
    "Settings",
    "load_settings",
    "StorylineError",
    "IngestError",
    "PipelineError",
    "StoreError",
    "ConfigError",
    "Store",
    "open_store",
    "IngestFailure",
    "read_paths",
    "read_bytes",
    "IngestReport",
    "ingest",
    "reannotate",
    "reresolve",
    "build_pipeline",
    "annotate",
    "resolve",
    "export_json",
    "write_export",
    "views",
    "Span",
    "When",
    "Published",
    "Document",
    "DocRecord",
    "LocalEntity",
    "TimeExpr",
    "Quote",
    "Figure",
    "EventMention",
    "DocAnnotations",
    "Entity",
    "Event",
    "Story",
    "Conflict",
    "Resolution",
]
