"""Dataclass <-> JSON conversion for the model types.

Generic over :func:`dataclasses.fields` and the resolved type hints, so a new
optional field on a model class needs no change here: it is written when
present and takes its default when an older row lacks it.

Encoding rules: dataclasses become dicts, tuples and lists become lists, and a
dict keyed by tuples (``Resolution.entity_of``) becomes a list of
``[*key, value]`` rows because JSON object keys must be strings.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import lru_cache
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, TypeVar, Union

__all__ = ["encode", "decode", "dumps", "loads"]

T = TypeVar("T")


_SCALARS = (str, int, float, bool, type(None))


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type (None for any other type), looked up once per type."""
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None


def encode(obj: Any) -> Any:
    """A JSON-ready copy of a model object (dataclass, tuple, dict, scalar)."""
    if isinstance(obj, _SCALARS):  # most values: return before any dataclass check
        return obj
    names = _field_names(type(obj))  # type: ignore[arg-type]  # per type, not per object (every write encodes)
    if names is not None:
        return {name: encode(getattr(obj, name)) for name in names}
    if isinstance(obj, (tuple, list)):
        return [encode(x) for x in obj]
    if isinstance(obj, dict):
        if obj and all(isinstance(k, tuple) for k in obj):
            return [[*k, encode(v)] for k, v in obj.items()]
        return {str(k): encode(v) for k, v in obj.items()}
    return obj


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (Union, types.UnionType)


def decode(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` from what :func:`encode` produced."""
    return _decoder(tp)(data)


def _identity(data: Any) -> Any:
    return data


@lru_cache(maxsize=None)
def _decoder(tp: Any):
    """A decoding function for ``tp``, built once per type (decoding is on every read path)."""
    if tp is Any:
        return _identity
    if _is_union(tp):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(options) == 1:  # X | None: every decoder gives None for None
            return _decoder(options[0])

        def union(data: Any) -> Any:
            if data is None:
                return None
            for opt in options:  # first option whose shape fits
                if _fits(opt, data):
                    return _decoder(opt)(data)
            return data

        return union
    if dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            if item is _identity:
                return lambda data: None if data is None else tuple(data)
            return lambda data: None if data is None else tuple(map(item, data))
        if args:
            decs = [_decoder(a) for a in args]
            return lambda data: None if data is None else tuple(d(x) for d, x in zip(decs, data, strict=True))
        return lambda data: None if data is None else tuple(data)
    if origin is list:
        item = _decoder(args[0] if args else Any)
        return lambda data: None if data is None else list(map(item, data))
    if origin is dict:
        ktp, vtp = args if args else (Any, Any)
        klen = len(typing.get_args(ktp)) or 1
        val = _decoder(vtp)

        def dict_(data: Any) -> Any:
            if data is None:
                return None
            if isinstance(data, list):  # tuple-keyed dict stored as rows
                return {tuple(row[:klen]) if klen > 1 else row[0]: val(row[klen]) for row in data}
            return {k: val(v) for k, v in data.items()}

        return dict_
    if tp is float:
        return lambda data: float(data) if isinstance(data, int) and not isinstance(data, bool) else data
    return _identity


def _dataclass_decoder(cls: Any):
    """The decoder of one dataclass: generated code that reads every field by name and builds
    the object in one call (a row written by this version has every field); a row without some
    field (written before the field existed) takes the general path, where it gets its default."""
    hints = _hints(cls)
    fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls)]

    def general(data: Any) -> Any:
        return cls(**{name: dec(data[name]) for name, dec in fields if name in data})

    env: dict[str, Any] = {"cls": cls, "general": general}
    args = []
    for i, (name, dec) in enumerate(fields):
        if dec is _identity:
            args.append(f"{name}=data[{name!r}]")
        else:
            env[f"d{i}"] = dec
            args.append(f"{name}=d{i}(data[{name!r}])")
    src = (
        "def decode_dataclass(data):\n"
        "    if data is None:\n        return None\n"
        f"    try:\n        return cls({', '.join(args)})\n"
        "    except KeyError:\n        return general(data)\n"
    )
    exec(compile(src, f"<codec decoder of {cls.__name__}>", "exec"), env)  # noqa: S102  code built from field names only
    return env["decode_dataclass"]


def _fits(tp: Any, data: Any) -> bool:
    if dataclasses.is_dataclass(tp):
        return isinstance(data, dict)
    origin = typing.get_origin(tp) or tp
    if origin in (tuple, list):
        return isinstance(data, list)
    if origin is dict:
        return isinstance(data, (dict, list))
    if isinstance(origin, type):
        return isinstance(data, origin) or (origin is float and isinstance(data, int))
    return True


def dumps(obj: Any) -> str:
    """Compact JSON text of a model object (the text of ``json.dumps(encode(obj))``)."""
    text = _json_text(obj.__class__)
    return _text(obj) if text is None else text(obj)


# what json.dumps(x, ensure_ascii=False, separators=(",", ":")) builds on every call, built once
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# and the C encoder that ``_ENCODER.encode`` makes on every call, made once: without the check
# for circular references (model objects hold none), so one encoder serves every call
_C_ENCODE = (
    c_make_encoder(None, _ENCODER.default, encode_basestring, None, ":", ",", False, False, True)
    if c_make_encoder is not None else None
)


def _text(value: Any) -> str:
    """The JSON text of any value as ``json.dumps(encode(value))`` writes it."""
    ready = encode(value)
    if _C_ENCODE is not None and isinstance(ready, (dict, list)):
        return "".join(_C_ENCODE(ready, 0))
    return _ENCODER.encode(ready)


def _value_text(tp: Any, x: str, env: dict[str, Any], *, field: bool = False) -> str:
    """Python code that turns the value in variable ``x``, of field type ``tp``, into its JSON text:
    strings, whole numbers, flags, None, dataclasses and tuples of one of these written here, as
    the json module writes them, each only when the value is of that exact class; any other value
    (a float, a dict, a value of another type than its field's) goes through :func:`_text`.
    ``field``: the value goes straight into its object's f-string, which writes a whole number itself."""
    inner = [a for a in typing.get_args(tp) if a is not type(None)] if _is_union(tp) else [tp]
    none = f'"null" if {x} is None else ' if len(inner) < len(typing.get_args(tp)) and _is_union(tp) else ""
    one = inner[0] if len(inner) == 1 else None
    args = typing.get_args(one)
    if one is str:
        return f"{none}enc({x}) if {x}.__class__ is str else text({x})"
    if one is int:  # (not a bool: json writes true)
        return f"{none}{x if field else f'repr({x})'} if {x}.__class__ is int else text({x})"
    if one is bool:
        return f'{none}"true" if {x} is True else "false" if {x} is False else text({x})'
    if dataclasses.is_dataclass(one):
        n = len(env)
        env[f"cls{n}"], env[f"text{n}"] = one, _json_text(one)  # type: ignore[arg-type]
        return f"{none}text{n}({x}) if {x}.__class__ is cls{n} else text({x})"
    if typing.get_origin(one) is tuple and args and (args[-1] is Ellipsis or len(set(args)) == 1):
        # a tuple of any length or of a fixed one, each item of one type: a JSON array either way
        y = f"{x}i"
        return f'{none}"[%s]" % ",".join([{_value_text(args[0], y, env)} for {y} in {x}]) if {x}.__class__ is tuple else text({x})'
    return f"text({x})"


@lru_cache(maxsize=None)
def _json_text(cls: type):
    """For :func:`dumps`: a function from an object of dataclass ``cls`` to the JSON text of
    :func:`encode` of it, generated from the field types (the field names written as they are,
    each field's value by :func:`_value_text`): what ``json.dumps`` writes, without building the
    dicts for it, nor writing each key again (the 772 ECB+ articles' resolution: 0.41 -> 0.30 CPU s).
    None for any other type."""
    if not dataclasses.is_dataclass(cls):
        return None
    hints = _hints(cls)
    env: dict[str, Any] = {"enc": encode_basestring, "text": _text}
    body, parts = [], []
    for i, f in enumerate(dataclasses.fields(cls)):
        body += [f"    x{i} = o.{f.name}", f"    x{i} = {_value_text(hints[f.name], f'x{i}', env, field=True)}"]
        parts.append(f"{json.dumps(f.name)}:{{x{i}}}")
    text = "{{" + ",".join(parts) + "}}"
    src = "def json_text(o):\n" + "\n".join(body) + f"\n    return f'''{text}'''\n"
    exec(compile(src, f"<codec encoder of {cls.__name__}>", "exec"), env)  # noqa: S102  code built from field names only
    return env["json_text"]


def loads(tp: type[T], text: str) -> T:
    """The model object of type ``tp`` stored as :func:`dumps` text."""
    return decode(tp, json.loads(text))
