"""Entities across documents: one canonical Entity per person, organisation or
place, whatever each article calls it.

Candidates come only from blocking keys held in dict buckets (never all
pairs):

* people: the folded surname (last name token); inside a bucket, forms are
  compared only with groups found through a suffix index ("albares",
  "martinez belio") or the same first initial;
* everything else: the folded name form and acronym letters ("U.S." / "US" /
  "United States" share ``us``).

People are grouped from the most specific form to the least: a form joins
the one group it is compatible with (:func:`names.compatible_person`; full
names with "Jr."/"Sr." only with the same suffix); a form compatible with
several groups (a bare "Sánchez" when the corpus has Pedro and Ana Sánchez)
joins only the one its own report names in full, else the one seen within
``story_day_window`` days of its document, else the one whose reports name a
person (in full) that its report names too (:func:`doc_context`), else stays
on its own: when two could match, nothing is merged. A nickname inside a name
('Gerardo "Jerry" Ortiz') joins the group of the name it gives. Role-only
mentions ("the minister") join a named person only when exactly one person
with that description is near in time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Mapping, Sequence

from ..model import DocAnnotations, Entity, LocalEntity
from .common import UnionFind, day_gap, stable_id, tally
from .names import acronym_key, acronym_of, compatible_person, display_name, name_tokens, nickname_forms, person_suffix, person_tokens
from ..lexicon.names import GENERATION_WORDS as _GENERATION
from ..lexicon.names import NAME_SUFFIXES as _SUFFIXES
from ..lexicon.names import ORG_WORDS as _ORG_WORDS

__all__ = ["resolve_entities", "attach_entities", "without_docs", "doc_context"]

Member = tuple[str, str]  # (doc, local key)


@dataclass
class _Group:
    forms: list[tuple[str, ...]] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    days: list[tuple[int, int]] = field(default_factory=list)
    docs: set[str] = field(default_factory=set)
    suffix: str = ""  # the generational suffix its names carry ('jr'), if any


def _forms(ent: LocalEntity) -> list[str]:
    out = [ent.name, *ent.aliases]
    out += [m.span.text for m in ent.mentions if m.kind == "name"]
    return [f for f in out if f and f.strip()]


@lru_cache(maxsize=65_536)
def _person_names(name: str, aliases: tuple[str, ...]) -> tuple[tuple[str, ...], str, frozenset[tuple[str, ...]]]:
    """What a person's name and aliases say, worked out once for each (one name recurs across
    reports): the most specific folded name, the generational suffix ('jr') or "", and the names
    its nicknames give (:func:`~.names.nickname_forms`)."""
    best: tuple[str, ...] = ()
    for f in (name, *aliases):
        toks = person_tokens(f)
        if len(toks) > len(best) or (len(toks) == len(best) and toks < best and toks):
            best = toks
    suffix = min((s for f in (name, *aliases) if (s := person_suffix(f))), default="")
    return best, suffix, frozenset(n for f in (name, *aliases) for n in nickname_forms(f))


def _person_form(ent: LocalEntity) -> tuple[str, ...]:
    """The most specific folded name of a person; () for a role-only entity."""
    if ent.mentions and not any(m.kind == "name" for m in ent.mentions):
        return ()
    return _person_names(ent.name, ent.aliases)[0]


def _suffix(ent: LocalEntity) -> str:
    return _person_names(ent.name, ent.aliases)[1]


def _nicknames(ent: LocalEntity) -> frozenset[tuple[str, ...]]:
    return _person_names(ent.name, ent.aliases)[2]


def doc_context(ann: DocAnnotations) -> frozenset[str]:
    """What a report says besides a name, for telling apart the people a bare surname could
    mean: the full names (two words or more, folded) of the people it names. Surnames alone and
    organisations are left out: they are shared by unrelated reports ('McDermott' the congressman
    and the basketball player, the Associated Press)."""
    return frozenset(" ".join(form) for ent in ann.entities if ent.type == "PERSON" and len(form := _person_form(ent)) >= 2)


def _near(days: list[tuple[int, int]], iv: tuple[int, int] | None, window: int) -> bool:
    return iv is not None and any(day_gap(d, iv) <= window for d in days)


def _role_key(ent: LocalEntity) -> str:
    return " ".join(t for t in name_tokens(ent.name) if t not in ("the", "a", "an"))


Form = tuple[tuple[str, ...], str]  # (folded name tokens, generational suffix or "")


def _fits(form: Form, g: _Group) -> bool:
    """Whether a name may join a group: compatible with each of its names, and no clash of
    generational suffixes between full names: two different ones never, and 'Jr.' or 'Sr.' never
    with a name without it ('Donald Trump Jr.' is not 'Donald J. Trump', who is not written 'Sr.');
    a dropped number is the same name ('Robert Mueller', 'Robert S. Mueller III'). A bare surname
    may join any of them."""
    toks, sfx = form
    if len(toks) >= 2 and sfx != g.suffix and (sfx and g.suffix or sfx in _GENERATION or g.suffix in _GENERATION):
        return False
    return all(compatible_person(toks, h) for h in g.forms)


def _group_people(
    people: list[tuple[Member, LocalEntity]], dates: dict, window: int, uf: UnionFind,
    context: Mapping[str, frozenset[str]],
) -> None:
    by_surname: dict[str, dict[Form, list[Member]]] = defaultdict(lambda: defaultdict(list))
    roles: list[tuple[Member, LocalEntity]] = []
    ent_of = dict(people)
    for member, ent in people:
        form = _person_form(ent)
        if form:
            by_surname[form[-1]][(form, _suffix(ent))].append(member)
        else:
            roles.append((member, ent))
    groups: list[_Group] = []
    said: dict[int, frozenset[str]] = {}

    def group_context(gi: int) -> frozenset[str]:
        if gi not in said:
            said[gi] = frozenset().union(*(context.get(d, frozenset()) for d in groups[gi].docs))
        return said[gi]

    for surname in sorted(by_surname):
        forms = by_surname[surname]
        local: list[int] = []  # indexes into groups for this bucket
        suffix_index: dict[tuple[str, ...], set[int]] = defaultdict(set)
        initial_index: dict[str, set[int]] = defaultdict(set)
        ambiguous: list[tuple[Form, list[int]]] = []
        placed: dict[Form, int] = {}
        # longest first; of one length, a name with a suffix before the same name without one
        for key in sorted(forms, key=lambda k: (-len(k[0]), not k[1], k)):
            form, sfx = key
            cands = set(suffix_index.get(form, ()))
            if len(form) >= 2:
                cands |= initial_index.get(form[0][0], set())
            fits = sorted(g for g in cands if _fits(key, groups[g]))
            if len(fits) > 1:
                ambiguous.append((key, fits))
                continue
            if fits:
                gi = fits[0]
            else:
                gi = len(groups)
                groups.append(_Group())
                local.append(gi)
            placed[key] = gi
            g = groups[gi]
            g.forms.append(form)
            g.suffix = g.suffix or sfx
            g.members.extend(forms[key])
            g.docs.update(m[0] for m in forms[key])
            g.days.extend(d for m in forms[key] if (d := dates.get(m[0])) is not None)
            for i in range(1, len(form)):
                suffix_index[form[i:]].add(gi)
            if len(form) >= 2:
                initial_index[form[0][0]].add(gi)
        for gi in local:
            first = groups[gi].members[0]
            for m in groups[gi].members[1:]:
                uf.union(first, m)
        # a nickname inside a name ('Charles "Lucky" Luciano') joins the group of the name it gives
        for key in sorted(forms):
            for member in forms[key]:
                own = placed.get(key)
                for nick in _nicknames(ent_of[member]):
                    if own is not None and (other := placed.get((nick, ""))) is not None:
                        uf.union(groups[own].members[0], groups[other].members[0])
        for key, fits in ambiguous:
            for member in sorted(forms[key]):
                # the one candidate its own document names in full ('Thompson' beside 'Tony
                # Thompson'); when the document names none of them, the one near in time
                here = [gi for gi in fits if member[0] in groups[gi].docs]
                if not here:
                    iv = dates.get(member[0])
                    here = [gi for gi in fits if _near(groups[gi].days, iv, window)] or fits
                    if len({uf.find(groups[gi].members[0]) for gi in here}) > 1:
                        mine = context.get(member[0], frozenset())
                        here = [gi for gi in here if mine & group_context(gi)]
                if len({uf.find(groups[gi].members[0]) for gi in here}) == 1:
                    uf.union(member, groups[here[0]].members[0])
    # a first name with a suffix and no surname ('Donald Jr.'): the one group of that first name and suffix
    for sfx in sorted(_SUFFIXES & by_surname.keys()):
        for (form, _), members in sorted(by_surname[sfx].items()):
            if len(form) != 2:
                continue
            roots = {uf.find(g.members[0]) for g in groups if g.suffix == sfx and g.forms
                     and len(g.forms[0]) >= 2 and compatible_person(form[:1] + g.forms[0][-1:], g.forms[0])}
            if len(roots) == 1:
                root = roots.pop()
                for m in members:
                    uf.union(root, m)
    # role-only mentions: a unique described person near in time
    by_desc: dict[str, set[int]] = defaultdict(set)
    for gi, g in enumerate(groups):
        for m in g.members:
            for d in ent_of[m].descriptions:
                by_desc[" ".join(t for t in name_tokens(d) if t not in ("the", "a", "an"))].add(gi)
    for member, ent in sorted(roles, key=lambda x: x[0]):
        keys = {_role_key(ent)} | {" ".join(name_tokens(d)) for d in ent.descriptions}
        cands = set().union(*(by_desc.get(k, set()) for k in keys))
        near = [gi for gi in sorted(cands) if _near(groups[gi].days, dates.get(member[0]), window)]
        if len(near) == 1:
            uf.union(member, groups[near[0]].members[0])


def _group_others(others: list[tuple[Member, LocalEntity]], uf: UnionFind) -> None:
    by_name: dict[tuple[str, str], list[Member]] = defaultdict(list)
    short: dict[tuple[str, str], list[Member]] = defaultdict(list)
    long_forms: dict[tuple[str, str], set[str]] = defaultdict(set)
    long_members: dict[tuple[str, str, str], list[Member]] = defaultdict(list)
    for member, ent in others:
        for f in dict.fromkeys(_forms(ent)):  # a name its mentions repeat links nothing more
            toks = name_tokens(f)
            if toks and toks[0] == "the" and len(toks) > 1:
                toks = toks[1:]
            if not toks:
                continue
            key = " ".join(toks)
            by_name[(ent.type, key)].append(member)
            letters = acronym_key(f)
            if letters:
                short[(ent.type, letters)].append(member)
            acro = acronym_of(toks)
            if acro:
                long_forms[(ent.type, acro)].add(key)
                long_members[(ent.type, acro, key)].append(member)
    for members in by_name.values():
        for m in members[1:]:
            uf.union(members[0], m)
    for (typ, letters), members in short.items():
        longs = long_forms.get((typ, letters), set())
        if len(longs) == 1:  # the acronym stands for exactly one long name in the corpus
            target = long_members[(typ, letters, next(iter(longs)))][0]
            for m in members:
                uf.union(target, m)


def _best_name(forms: list[str], person: bool) -> str | None:
    counts: dict[str, int] = {}
    for f, n in tally(forms).items():  # mentions repeat a name: each one shown once
        shown = display_name(f) if person else _strip_article(f)
        counts[shown] = counts.get(shown, 0) + n
    return _best_form(counts, person)


def _best_form(counts: Mapping[str, int], person: bool) -> str | None:
    """The name to show among the forms ``counts`` holds (with how often each occurs): the
    longest, spelled out rather than an acronym, with its accents, the most frequent."""

    def rank(f: str):
        toks = person_tokens(f) if person else name_tokens(f)
        if toks[:1] == ("the",):
            toks = toks[1:]
        accents = 0 if f.isascii() else sum(1 for c in f if ord(c) > 127)
        acro = acronym_key(f) is not None
        return (-len(toks), acro, -accents, -counts[f], len(f), f)

    names = [f for f in counts if f]
    return (names[0] if len(names) == 1 else min(names, key=rank)) if names else None


def _strip_article(f: str) -> str:
    f = f.strip()
    return f[4:] if f[:4].lower() == "the " and len(f) > 4 and f[4:5].isupper() and not f.startswith("The ") else f


def _retype_people(annotations: Sequence[DocAnnotations]) -> dict[Member, str]:
    """ORG mentions that are really people (a common tagger slip): 'Reyes' beside
    'Tomas Reyes' in one article, or a full name others tag as a person."""
    person_forms: set[tuple[str, ...]] = set()
    for ann in annotations:
        for ent in ann.entities:
            if ent.type == "PERSON" and any(m.kind == "name" for m in ent.mentions):
                person_forms.update(t for f in (ent.name, *ent.aliases) if (t := person_tokens(f)))
    out: dict[Member, str] = {}
    for ann in annotations:
        local: dict[str, set[tuple[str, ...]]] = defaultdict(set)  # the people the article names, by surname
        for e in ann.entities:
            if e.type == "PERSON" and (f := person_tokens(e.name)):
                local[f[-1]].add(f)
        for ent in ann.entities:
            if ent.type != "ORG":
                continue
            form = person_tokens(ent.name)
            if not form or len(form) > 3 or any(t in _ORG_WORDS for t in form):
                continue
            here = {f for f in local.get(form[-1], ()) if f[len(f) - len(form):] == form}
            here = {f for f in here if not any(len(g) > len(f) and g[len(g) - len(f):] == f for g in here)}
            if len(here) == 1 or (len(form) >= 2 and form in person_forms):
                out[(ann.doc, ent.key)] = "PERSON"
    return out


def resolve_entities(
    annotations: Sequence[DocAnnotations], dates: dict[str, tuple[int, int] | None], window: int,
    context: Mapping[str, frozenset[str]] | None = None,
) -> tuple[list[Entity], dict[Member, str]]:
    """Canonical entities and the map (doc, local key) -> entity id. ``context``: each document's
    :func:`doc_context` when ``annotations`` hold only some of its entities (resolution in parts)."""
    groups, ent_of = _entity_groups(annotations, dates, window, context)
    entities: list[Entity] = []
    entity_of: dict[Member, str] = {}
    for members in groups:
        e = _build(members, ent_of)
        entities.append(e)
        for m in members:
            entity_of[m] = e.id
    entities.sort(key=lambda e: e.id)
    return entities, entity_of


def _entity_groups(
    annotations: Sequence[DocAnnotations], dates: dict[str, tuple[int, int] | None], window: int,
    context: Mapping[str, frozenset[str]] | None = None,
) -> tuple[list[list[Member]], dict[Member, LocalEntity]]:
    """The members of each entity :func:`resolve_entities` makes, and each member's local
    entity (retyped where a person's other names say so); nothing built. ``context``: each
    document's :func:`doc_context` (read from ``annotations`` when not given)."""
    people: list[tuple[Member, LocalEntity]] = []
    others: list[tuple[Member, LocalEntity]] = []
    ent_of: dict[Member, LocalEntity] = {}
    retyped = _retype_people(annotations)
    for ann in annotations:
        for ent in ann.entities:
            member = (ann.doc, ent.key)
            if member in retyped:
                ent = replace(ent, type=retyped[member])
            ent_of[member] = ent
            (people if ent.type == "PERSON" else others).append((member, ent))
    people.sort(key=lambda x: x[0])
    others.sort(key=lambda x: x[0])
    uf = UnionFind(sorted(ent_of))
    if context is None:
        context = {a.doc: doc_context(a) for a in annotations}
    _group_people(people, dates, window, uf, context)
    _group_others(others, uf)
    return list(uf.groups()), ent_of


def _build(members: list[Member], ent_of: Mapping[Member, LocalEntity], base: Entity | None = None) -> Entity:
    """The canonical entity of ``members`` (their local entities in ``ent_of``), grown from
    ``base`` (a stored entity they join: its id, members and mentions are kept)."""
    ents = [ent_of[m] for m in members]
    said = [f for e in ents for f in _forms(e)]
    if base is None:
        typ = ents[0].type if len(ents) == 1 else max(tally(e.type for e in ents).items(), key=itemgetter(1))[0]  # the most common
        eid = stable_id("ent_", (f"{d}:{k}" for d, k in members))
        name = _best_name(said, typ == "PERSON") or ents[0].name
        aliases = {f.strip() for f in said} - {name}
        descriptions = {d for e in ents for d in e.descriptions}
        mentions = {m.span for e in ents for m in e.mentions}
        return Entity(eid, name, typ, tuple(sorted(aliases)), tuple(sorted(descriptions)),
                      tuple(sorted(mentions, key=_SPAN_ORDER)), tuple(sorted(members)))
    forms = {f.strip() for f in said} | {base.name, *base.aliases}
    # as often as resolve_entities counts them: names, aliases and name mentions
    said = [base.name, *base.aliases, *(m.text for m in base.mentions if m.text in forms), *said]
    name = _best_name(said, base.type == "PERSON") or base.name
    mentions = set(base.mentions) | {m.span for e in ents for m in e.mentions}
    return Entity(
        base.id, name, base.type, tuple(sorted(forms - {name, ""})),
        tuple(sorted(set(base.descriptions) | {d for e in ents for d in e.descriptions})),
        tuple(sorted(mentions, key=_SPAN_ORDER)), tuple(sorted(set(base.members) | set(members))),
    )


_SPAN_ORDER = attrgetter("doc", "start", "end")  # mentions in document order


def without_docs(entity: Entity, docs: set[str]) -> Entity:
    """``entity`` without the members and mentions of ``docs`` (documents annotated again)."""
    return replace(
        entity,
        mentions=tuple(m for m in entity.mentions if m.doc not in docs),
        members=tuple(m for m in entity.members if m[0] not in docs),
    )


def attach_entities(
    annotations: Sequence[DocAnnotations],
    dates: dict[str, tuple[int, int] | None],
    window: int,
    new_docs: set[str],
    stored_of: Mapping[Member, str],
    stored: Mapping[str, Entity],
) -> tuple[list[Entity], dict[Member, str]]:
    """New documents' mentions joining the entities already resolved (incremental resolution).

    ``annotations`` hold the new documents (``new_docs``) and earlier ones that share a
    blocking key with them; ``stored_of`` maps those earlier members to their stored entity
    ids and ``stored`` holds those entities (and any that held members of ``new_docs``
    before they were annotated again). The entities are resolved over ``annotations`` as
    :func:`resolve_entities` does; then each group's new members join the one stored entity
    its earlier members belong to, or, when they belong to none or to several (the earlier
    evidence kept those apart: unknown beats a wrong merge), form an entity of their own.
    Earlier links are never undone here; ``storyline resolve --full`` redoes them all.

    Returns the entities that changed (grown, new, or stripped of re-annotated documents'
    members; an entity left with no members is left out) and ``entity_of`` for the new
    members."""
    groups, ent_of = _entity_groups(annotations, dates, window)  # only groups with new members are built
    joins: dict[str, list[Member]] = defaultdict(list)
    fresh: list[list[Member]] = []
    for members in groups:
        new = [m for m in members if m[0] in new_docs]
        if not new:
            continue
        olds = {stored_of[m] for m in members if m[0] not in new_docs and m in stored_of}
        if len(olds) == 1:
            joins[olds.pop()].extend(new)
        else:
            fresh.append(new)
    changed: list[Entity] = []
    entity_of: dict[Member, str] = {}
    # a stored entity changes when new members join it or it held members of new_docs (annotated
    # again): every member has its stored entity_of row, so those are read from stored_of, and
    # ``stored`` (which may decode on access) is read for them only
    touched = set(joins) | {sid for m, sid in stored_of.items() if m[0] in new_docs}
    for sid in sorted(touched):
        base = stored.get(sid)
        if base is None:
            continue
        if not joins.get(sid) and not any(m[0] in new_docs for m in base.members):
            continue  # untouched
        base = without_docs(base, new_docs)
        if joins.get(sid):
            base = _build(sorted(joins[sid]), ent_of, base)
            entity_of.update((m, sid) for m in joins[sid])
        if base.members:
            changed.append(base)
    for members in fresh:
        e = _build(sorted(members), ent_of)
        changed.append(e)
        entity_of.update((m, e.id) for m in members)
    changed.sort(key=lambda e: e.id)
    return changed, dict(sorted(entity_of.items()))
