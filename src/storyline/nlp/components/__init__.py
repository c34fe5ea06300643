"""storyline's spaCy components, one per file, registered by name on import of
this package (which ``build.build_pipeline`` does, never ``import storyline``)."""

from . import entities, times, quotes, figures, events  # noqa: F401
