"""The dataclass <-> JSON codec: every model type round-trips, new optional fields just work."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

import kb_sample as sample
from storyline.kb import codec
from storyline.model import DocAnnotations, Document, Entity, Figure, Published, Resolution, Span, When


def test_annotations_round_trip_through_json_text():
    for ann in sample.annotations():
        text = codec.dumps(ann)
        assert json.loads(text)["doc"] == ann.doc
        assert codec.loads(DocAnnotations, text) == ann


def test_resolution_round_trip_keeps_tuple_keys():
    res = sample.resolution()
    back = codec.loads(Resolution, codec.dumps(res))
    assert back == res
    assert back.entity_of[(sample.A, "e1")] == "E1"
    assert isinstance(back.entities[0].members[0], tuple)


def test_documents_round_trip():
    for d in sample.documents():
        assert codec.decode(Document, codec.encode(d)) == d


def test_ints_become_floats_where_the_field_is_float():
    fig = codec.decode(Figure, {"span": {"doc": "d", "start": 0, "end": 2, "text": "12"}, "id": "f", "value": 12,
                                "unit": "count", "about": "x"})
    assert fig.value == 12.0 and isinstance(fig.value, float)
    assert fig.status == "actual" and fig.speaker is None


def test_optional_when_none_and_known():
    assert codec.decode(Published, {"when": None, "basis": "unknown"}).when is None
    assert codec.decode(Published, codec.encode(Published(When("2026", "2026-01-01", "2026-12-31"), "inferred"))).when.value == "2026"


@dataclass(frozen=True)
class Grown:
    """A model class as it might look after a release adds optional fields."""

    span: Span
    name: str
    extra: str | None = None
    tags: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)


def test_rows_written_before_a_new_field_take_its_default():
    old = {"span": {"doc": "d", "start": 0, "end": 1, "text": "x"}, "name": "n"}
    g = codec.decode(Grown, old)
    assert g == Grown(Span("d", 0, 1, "x"), "n")


def test_unknown_keys_from_a_newer_writer_are_ignored():
    newer = {"span": {"doc": "d", "start": 0, "end": 1, "text": "x"}, "name": "n", "tags": ["a"], "future": 1}
    assert codec.decode(Grown, newer).tags == ("a",)


@pytest.mark.parametrize("value", [Grown(Span("d", 1, 2, "é"), "ñ", "x", ("a", "b"), {"k": 1.5})])
def test_generic_dataclass_round_trip(value):
    assert codec.loads(Grown, codec.dumps(value)) == value


def _walk(obj):
    """The encoding rules spelled out, field by field (the reference the fast path must match)."""
    import dataclasses

    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _walk(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (tuple, list)):
        return [_walk(x) for x in obj]
    if isinstance(obj, dict):
        if obj and all(isinstance(k, tuple) for k in obj):
            return [[*k, _walk(v)] for k, v in obj.items()]
        return {str(k): _walk(v) for k, v in obj.items()}
    return obj


def test_encoding_by_cached_field_names_writes_the_same_rows():
    """encode looks field names up once per type (issue 11: it was most of the cost of saving a
    document's annotations); what it writes is unchanged, so stored rows read back as before."""
    for obj in [*sample.annotations(), sample.resolution(), *sample.documents(), Span, None, True, 1.5]:
        assert codec.encode(obj) == _walk(obj)
        assert json.dumps(codec.encode(obj), default=repr) == json.dumps(_walk(obj), default=repr)


def test_dumps_from_field_types_writes_the_text_of_encode():
    """dumps takes plain fields as they are (code generated per type from its field types); the
    text is the one json.dumps(encode(obj)) writes, for every model type and for None in a field
    typed as a dataclass or a tuple of them."""
    objs = [*sample.annotations(), sample.resolution(), *sample.documents(), Published(), None, "x", 1.5]
    objs += [x for a in sample.annotations() for x in (*a.entities, *a.times, *a.quotes, *a.figures, *a.events)]
    objs += [Published(when=None, evidence=None)]  # type: ignore[arg-type]  # odd values still write as encode does
    for obj in objs:
        assert codec.dumps(obj) == json.dumps(codec.encode(obj), ensure_ascii=False, separators=(",", ":"))


def test_dumps_writes_values_of_another_type_than_their_field_as_json_does():
    """dumps writes a field's value itself only when it is of the field's exact type; any other
    value (a flag or a float where a number is typed, None, a list, a text subclass) as json.dumps does."""

    class Text(str):
        pass

    odd = [
        Span("d", True, 2.5, "x"),  # type: ignore[arg-type]
        Span(Text("d"), 0, float("nan"), None),  # type: ignore[arg-type]
        Grown(None, "n", 3, ["a", 1], {"k": float("inf")}),  # type: ignore[arg-type]
        Grown(Span("d", 0, 1, 'q"\\\n\x00é'), "n", None, ("a", None, 2)),  # type: ignore[arg-type]
        Published(When("2026", None, None, ("2026-01-02", "2026-01-01", "2026-01-03")), "inferred", (Span("d", 0, 1, "x"), "y")),  # type: ignore[arg-type]
        Figure(Span("d", 0, 1, "x"), "f", 1.5, "km", "distance"),
        When(None, None, None, ("2026-01-02", 5)),  # type: ignore[arg-type]  # a fixed-length tuple of another length
        Entity("E", "n", "PERSON", (), (), (), (("d", "k"), ["d", 2], ("x",), None)),  # type: ignore[arg-type]  # tuples in a tuple
    ]
    for obj in odd:
        assert codec.dumps(obj) == json.dumps(codec.encode(obj), ensure_ascii=False, separators=(",", ":"))


def test_generated_decoder_reads_rows_without_a_field_and_rows_with_extra_keys():
    full = {"span": {"doc": "d", "start": 0, "end": 1, "text": "x"}, "name": "n", "extra": "k", "tags": ["a"],
            "scores": {"s": 2}, "newer": 1}
    assert codec.decode(Grown, full) == Grown(Span("d", 0, 1, "x"), "n", "k", ("a",), {"s": 2.0})
    short = {"span": {"doc": "d", "start": 0, "end": 1}, "name": "n"}  # a nested row lacking a required field
    with pytest.raises(TypeError):
        codec.decode(Grown, short)
