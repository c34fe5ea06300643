"""One base exception, a documented tree, stable codes.

Tests match the ``code`` (``E1xx`` ingest, ``E2xx`` pipeline, ``E3xx`` store,
``E4xx`` config), never the wording. The CLI maps every error to an exit code
in one place (``cli.kit.fail``).

    StorylineError
    ├── IngestError    a file or record could not be read (E1xx)
    ├── PipelineError  the NLP or resolution stage failed (E2xx)
    ├── StoreError     the knowledge base could not be opened or written (E3xx)
    └── ConfigError    a setting or flag is invalid (E4xx)
"""

from __future__ import annotations

__all__ = ["StorylineError", "IngestError", "PipelineError", "StoreError", "ConfigError", "CODES"]

CODES = {
    "E100": "path does not exist",
    "E101": "path cannot be read",
    "E102": "file is empty",
    "E103": "file looks binary, not text",
    "E104": "compressed stream is truncated or corrupt",
    "E105": "text could not be decoded",
    "E106": "JSON is malformed",
    "E107": "JSON has the wrong shape: no article records with a text field",
    "E108": "HTML holds no article text",
    "E109": "WARC is malformed",
    "E110": "document has no text after cleaning",
    "E111": "input is too large",
    "E112": "not a regular file (named pipe, socket or device)",
    "E113": "the reader failed on this input (a bug in storyline: please report it); the other inputs went on",
    "E200": "language pipeline could not be loaded",
    "E201": "annotation failed",
    "E202": "resolution input is inconsistent (two annotation sets for one document)",
    "E203": "a document's annotations could not be stored (inconsistent items); the document is flagged",
    "E205": "an annotation worker process died (re-run the same command to finish the work)",
    "E206": "the Ray cluster cannot be started or joined",
    "E300": "store cannot be opened",
    "E301": "store schema is newer than this version of storyline",
    "E302": "no such item in the store",
    "E303": "store is damaged (SQLite reports corruption); run `storyline check`",
    "E304": "the store refused inconsistent data (a constraint); the write was rolled back",
    "E310": "database server cannot be reached",
    "E311": "database server refused the credentials",
    "E312": "database does not exist on the server",
    "E313": "connection to the database server was lost; re-run to finish the work",
    "E400": "invalid setting",
    "E401": "an optional extra is not installed (the message says which to install)",
    "E402": "search query is too long or has too many terms",
    "E403": "the output path cannot be written (a folder, a missing folder, no permission)",
}


class StorylineError(Exception):
    """Base of every error storyline raises on purpose."""

    code = "E000"

    def __init__(self, message: str | None = None, *, code: str | None = None, path: str | None = None):
        if code is not None:
            self.code = code
        self.path = path
        self.reason = message or CODES.get(self.code, "error")
        text = f"[{self.code}] {self.reason}"
        if path:
            text = f"{path}: {text}"
        super().__init__(text)

    def __reduce__(self):  # pickled as made (a child process's error raised in its parent)
        return _rebuilt, (type(self), self.reason, self.code, self.path)


def _rebuilt(cls: type[StorylineError], reason: str, code: str, path: str | None) -> StorylineError:
    return cls(reason, code=code, path=path)


class IngestError(StorylineError):
    code = "E101"


class PipelineError(StorylineError):
    code = "E201"


class StoreError(StorylineError):
    code = "E300"


class ConfigError(StorylineError):
    code = "E400"
