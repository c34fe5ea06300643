"""Stories keep their ids when new documents join them (resolve.carry, the one id carry)."""

from storyline.model import Resolution, Story
from storyline.resolve.carry import carry_ids


def _carry(old: list[Story], new: list[Story]) -> list[Story]:
    res = carry_ids({}, {}, {s.id: s.documents for s in old}, Resolution(stories=tuple(new)))
    return list(res.stories)


def test_continuing_story_keeps_its_id_new_story_gets_new_id():
    old = [Story("sty_a", "harbour strike", ("d1", "d2"), ()), Story("sty_b", "museum", ("d3",), ())]
    new = [
        Story("sty_x", "harbour strike", ("d1", "d2", "d4"), (), title="Dockers strike", headline="evt_h"),
        Story("sty_y", "museum", ("d3",), ()),
        Story("sty_z", "election", ("d5",), ()),
    ]
    out = _carry(old, new)
    assert sorted(s.id for s in out) == ["sty_a", "sty_b", "sty_z"]
    a = next(s for s in out if s.id == "sty_a")
    assert a.documents == ("d1", "d2", "d4") and a.title == "Dockers strike" and a.headline == "evt_h"


def test_split_story_gives_old_id_to_larger_part_only():
    old = [Story("sty_a", "", ("d1", "d2", "d3"), ())]
    new = [Story("sty_x", "", ("d1",), ()), Story("sty_y", "", ("d2", "d3"), ())]
    out = {s.documents: s.id for s in _carry(old, new)}
    assert out == {("d1",): "sty_x", ("d2", "d3"): "sty_a"}


def test_no_previous_changes_nothing():
    new = [Story("sty_x", "", ("d1",), ())]
    assert _carry([], new) == new
