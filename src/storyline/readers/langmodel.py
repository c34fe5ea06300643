"""The language model (py3langid), loaded from an unpacked copy in the user's cache folder.

py3langid ships its model LZMA-compressed (4.5 MB; 68 MB of arrays unpacked): unpacking it
costs about 0.4 CPU s in every process that meets a text the cheap English rule of
:mod:`.clean` cannot call. The first such process decompresses it and copies its arrays out
as they are (the file is an .npz, each array a ``.npy`` member) to
``<cache>/langid-<version>-<size>-<mtime>/`` (a temporary folder renamed into place: a reader
finds all of it or none, and only the newest model's folder is kept); later processes map them
instead (a few hundredths of a second). The identifier is built from the same arrays either
way, so it answers the same; anything wrong with the cache (an unwritable or damaged folder)
falls back to py3langid's own loader, and a model file of another layout is read by that
loader and its arrays saved into the cache.

The cache folder is ``$STORYLINE_CACHE`` when set (``off``: no cache), else the platform's:
``$XDG_CACHE_HOME/storyline`` or ``~/.cache/storyline`` (``~/Library/Caches/storyline`` on
macOS, ``%LOCALAPPDATA%\\storyline`` on Windows). Deleting it is always safe.
"""

from __future__ import annotations

import io
import lzma
import os
import shutil
import sys
import tempfile
import time
import zipfile
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["identifier", "cache_root", "model_folder"]

_PREFIX = "langid-"
_STALE_TEMP = 3600  # seconds: a temporary folder this old was left by a process that died writing it


def cache_root() -> Path | None:
    """The storyline cache folder (see the module docstring); None when turned off."""
    chosen = os.environ.get("STORYLINE_CACHE")
    if chosen:
        return None if chosen == "off" else Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "storyline" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "storyline"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "storyline"


def model_folder(model: Path) -> Path | None:
    """Where the unpacked arrays of the py3langid ``model`` file are cached: named by
    py3langid's version and the file's size and modification time (a new install, a new name)."""
    import py3langid

    root = cache_root()
    if root is None:
        return None
    st = model.stat()
    version = getattr(py3langid, "__version__", "0")
    return root / f"{_PREFIX}{version}-{st.st_size}-{st.st_mtime_ns}"


def identifier():
    """py3langid's LanguageIdentifier on its default model, with normalised probabilities."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
    from py3langid.modelio import load_model

    model = MODEL_DIR / MODEL_FILE
    try:
        folder = model_folder(model)
    except (OSError, RuntimeError):  # no home folder, the model file unreadable: py3langid's loader says why
        folder = None
    parts = _read(folder) if folder is not None else None
    if parts is None and folder is not None:
        shutil.rmtree(folder, ignore_errors=True)  # a damaged copy, if any
        _cache(folder, lambda temp: _unpack(model, temp))
        parts = _read(folder)
    if parts is None:  # no cache folder, or a model file of another layout: py3langid's loader
        parts = load_model(model)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
            _cache(folder, lambda temp: _write(temp, parts))
    ptc, pc, classes, nextmove, row, output = parts
    # as LanguageIdentifier.from_model_file builds it
    return LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove, output, norm_probs=True, tk_row=row)


def _read(folder: Path) -> tuple | None:
    """The model's parts from ``folder``, or None when it is missing, damaged or of another shape."""
    try:
        if not folder.is_dir():
            return None
        loaded = {path.stem: np.load(path, mmap_mode="r", allow_pickle=False) for path in folder.glob("*.npy")}
        ptc, pc = loaded["ptc"], loaded["pc"]
        classes, output = loaded["classes"].tolist(), loaded["output"].tolist()
        # the automaton's table (39 MB) stays mapped: its rows are read as a text visits them
        nextmove, row = _ints(loaded["nextmove"]), _stdlib(loaded["row"])
        if not (ptc.ndim == 2 and ptc.shape[1] == len(pc) == len(classes) and len(nextmove) % 256 == 0
                and len(row) == len(output) and all(isinstance(c, str) for c in classes)):
            return None
    except Exception:  # noqa: BLE001 - whatever is wrong with a cache, py3langid's own loader still works
        return None
    return ptc, pc, classes, nextmove, row, output


def _ints(values: np.ndarray) -> memoryview:
    """A view of the numpy array that indexes as a stdlib array of its C type does (Python ints)."""
    typecode: Any = values.dtype.char  # "H", "I" or "L"
    return values.data.cast("B").cast(typecode)


def _stdlib(values: np.ndarray) -> array:
    """A stdlib array of the numpy array's C type (py3langid walks its automaton over these)."""
    out = array(values.dtype.char)
    out.frombytes(np.ascontiguousarray(values).data.cast("B"))
    return out


# the two arrays whose names in py3langid's model file are not the cache's
_RENAMED = {"nextmove_row": "row", "out_feat": "output"}


def _unpack(model: Path, temp: Path) -> None:
    """py3langid's ``model`` file (an LZMA-compressed .npz, each array a .npy member) unpacked
    into ``temp``: its members copied out as they are (no array built: 0.45 CPU s, where loading
    it with py3langid's loader and saving its arrays took 0.5-1.1); ValueError when they are not
    the arrays :func:`_read` expects (a model file of another layout)."""
    npz = io.BytesIO(lzma.decompress(model.read_bytes()))  # 68 MB, as long as the copy takes
    with zipfile.ZipFile(npz) as members:
        for member in members.namelist():
            stem = member.removesuffix(".npy")
            with members.open(member) as src, open(temp / f"{_RENAMED.get(stem, stem)}.npy", "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    if _read(temp) is None:
        raise ValueError(f"{model}: not the arrays of py3langid's model as the cache keeps them")


def _write(temp: Path, parts: tuple) -> None:
    """The arrays of ``parts`` (py3langid's loader's) saved into ``temp``."""
    ptc, pc, classes, nextmove, row, output = parts
    arrays = {
        "ptc": np.asarray(ptc), "pc": np.asarray(pc), "classes": np.asarray(classes, dtype=str),
        "nextmove": np.frombuffer(nextmove, dtype=nextmove.typecode), "row": np.frombuffer(row, dtype=row.typecode),
        "output": np.asarray(output, dtype=np.int64),
    }
    for name, values in arrays.items():
        np.save(temp / f"{name}.npy", values, allow_pickle=False)


def _cache(folder: Path, fill: Callable[[Path], None]) -> None:
    """``folder`` made by ``fill`` in a temporary folder beside it, renamed into place (best
    effort: a cache that cannot be written is no error), and the folders of other models removed."""
    root = folder.parent
    try:
        root.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{_PREFIX}", dir=root))
    except OSError:
        return
    try:
        fill(temp)
        temp.rename(folder)  # atomic; fails when another process renamed its copy first
    except Exception:  # noqa: BLE001 - an unwritable folder, a model file of another layout: no cache
        shutil.rmtree(temp, ignore_errors=True)
        return
    _remove_others(root, keep=folder.name)


def _remove_others(root: Path, keep: str) -> None:
    """Remove the cached folders of other models, and temporary ones a dead process left."""
    now = time.time()
    try:
        entries = list(root.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(_PREFIX) and entry.name != keep:
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(f".{_PREFIX}"):
            try:
                old = now - entry.stat().st_mtime > _STALE_TEMP
            except OSError:
                continue
            if old:
                shutil.rmtree(entry, ignore_errors=True)
