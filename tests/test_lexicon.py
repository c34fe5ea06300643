"""One home for each word list (issue 8): components import the lexicon, they keep no copies."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from storyline.lexicon import events, names, speech
from storyline.nlp import names as nlp_names
from storyline.lexicon import plover
from storyline.nlp.components import figures, quotes
from storyline.resolve import names as resolve_names


def test_speech_verbs_have_one_home():
    assert plover.SPEECH is speech.STATEMENT_VERBS
    assert quotes.REPORT_VERBS is speech.REPORT_VERBS
    assert figures.SPEECH_VERBS is speech.ATTRIBUTION_VERBS
    assert speech.STATEMENT_VERBS <= speech.REPORT_VERBS and speech.STATEMENT_VERBS <= speech.ATTRIBUTION_VERBS


def test_title_words_and_fold_have_one_home():
    assert nlp_names.TITLE_WORDS is names.TITLE_WORDS and resolve_names.TITLE_WORDS is names.TITLE_WORDS
    assert names.TITLE_WORDS <= names.NAME_AFFIXES
    assert nlp_names.fold is names.fold and resolve_names.fold is names.fold
    assert names.fold("Martínez  Belío’s") == "martinez belio's"


def test_concepts_join_words_for_one_happening():
    assert events.concept("quake") == events.concept("earthquake") == "earthquake"
    assert events.concept("slaying") == events.concept("die")
    assert events.concept("negotiation", "negotiate") == events.concept("talks")
    assert events.concept("vote") == "vote"  # a word with no synonyms is its own concept


def test_nominal_stems():
    assert "negotiate" in events.nominal_stems("negotiation")
    assert "shop" in events.nominal_stems("shopping")
    assert events.nominal_stems("cat") == []


# ---------------------------------------------------------------- no word table outside lexicon/ (issue 21)

SRC = Path(__file__).resolve().parents[1] / "src" / "storyline"
_WORD = re.compile(r"^[a-z][a-z'.\- ]*$")

# module-level string tables outside lexicon/ that are not words of the language: names of fields,
# tables, sections, CSS classes, HTML tags, dependency labels, modalities and roles of our own model
NOT_WORDS = {
    "export/parquet.py": {"TABLES"}, "export/tables.py": {"JSONL_TYPES", "CSV_COLUMNS"},
    "kb/queries.py": {"_COUNTS"}, "kb/store.py": {"_ITEM_TABLES", "_RESOLUTION_TABLES"},
    "model.py": {"BASES"}, "nlp/build.py": {"COMPONENTS", "EXTENSIONS"},
    "nlp/components/events.py": {"MODIFIER_DEPS"}, "nlp/numbers.py": {"UNITS"}, "nlp/components/figures.py": {"_NOUN_DEPS"},
    "readers/html.py": {"_BLOCK_TAGS", "_SKIP_TAGS", "_HEADINGS"},
    "readers/jsonl.py": {"TEXT_FIELDS", "DATE_FIELDS", "WRAPPERS"},
    "resolve/brief.py": {"BRIEF", "LONG_BRIEF"}, "resolve/storymodel.py": {"ROLES"},
    "views/display.py": {"_PLAIN"}, "web/queries.py": {"_PLACE_ROLES", "_FAMILY_NAME"},
    "web/render.py": {"CLASSES"}, "web/svg.py": {"_STATUS_ORDER"}, "config.py": {"SETTINGS_HELP", "_INT_RANGES"}, "__init__.py": {"_LAZY"},
}


def _strings(node: ast.AST) -> list[str]:
    """The string entries of a literal table (set, list, tuple, dict keys, "a b c".split(), frozenset(...))."""
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    if isinstance(node, ast.Dict):
        return [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Name) and f.id in ("frozenset", "set", "tuple", "list", "dict") and node.args:
            return _strings(node.args[0])
        if isinstance(f, ast.Attribute) and f.attr == "split" and isinstance(f.value, ast.Constant):
            return str(f.value.value).split()
    if isinstance(node, ast.BinOp):
        return _strings(node.left) + _strings(node.right)
    return []


def word_tables_outside_lexicon() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith("lexicon/"):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
                continue
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if not isinstance(target, ast.Name) or target.id == "__all__" or target.id in NOT_WORDS.get(rel, ()):
                continue
            words = [w for w in _strings(node.value) if _WORD.match(w)]
            if len(words) >= 4:
                found.append(f"{rel}:{node.lineno} {target.id}")
    return found


def test_every_word_table_lives_in_the_lexicon():
    """A list of words kept anywhere but lexicon/ is a copy waiting to drift: import it instead."""
    assert word_tables_outside_lexicon() == []


def test_no_two_lexicon_tables_are_copies():
    import importlib

    seen: dict[frozenset, tuple[str, int]] = {}
    for path in sorted((SRC / "lexicon").glob("*.py")):
        mod = importlib.import_module(f"storyline.lexicon.{path.stem}")
        for name, value in vars(mod).items():
            if name.isupper() and isinstance(value, (frozenset, set, tuple, dict)) and len(value) >= 4:
                key = frozenset(value) if not isinstance(value, dict) else frozenset(value.items())
                first = seen.setdefault(key, (f"{path.stem}.{name}", id(value)))
                # the same object under another name (an import, an alias) is no copy
                assert first[1] == id(value), f"{path.stem}.{name} repeats {first[0]}"


def test_the_guard_sees_a_table(tmp_path):
    tree = ast.parse('MONTHS = frozenset("january february march april".split())')
    assert len([w for w in _strings(tree.body[0].value) if _WORD.match(w)]) == 4
