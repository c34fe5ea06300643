"""Stories keep their ids when new documents join them."""

from storyline.model import Story
from storyline.resolve.stories import carry_story_ids


def test_continuing_story_keeps_its_id_new_story_gets_new_id():
    old = [Story("sty_a", "harbour strike", ("d1", "d2"), ()), Story("sty_b", "museum", ("d3",), ())]
    new = [
        Story("sty_x", "harbour strike", ("d1", "d2", "d4"), ()),
        Story("sty_y", "museum", ("d3",), ()),
        Story("sty_z", "election", ("d5",), ()),
    ]
    out = carry_story_ids(old, new)
    assert [s.id for s in out] == ["sty_a", "sty_b", "sty_z"]
    assert out[0].documents == ("d1", "d2", "d4")


def test_split_story_gives_old_id_to_larger_part_only():
    old = [Story("sty_a", "", ("d1", "d2", "d3"), ())]
    new = [Story("sty_x", "", ("d1",), ()), Story("sty_y", "", ("d2", "d3"), ())]
    assert [s.id for s in carry_story_ids(old, new)] == ["sty_x", "sty_a"]


def test_no_previous_changes_nothing():
    new = [Story("sty_x", "", ("d1",), ())]
    assert carry_story_ids([], new) == new
