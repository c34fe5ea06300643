"""Blocking keys per document: the one place that says which documents the
cross-document resolution may relate.

Contract (what incremental resolution relies on): whenever :func:`resolve`
can let document A change anything about document B's entities, events,
stories, support or conflicts, A and B share at least one key of
:func:`doc_keys`. Keys over-approximate (sharing a key does not mean a
link); a resolver that gains a new way to relate documents adds its key
here, and ``storyline resolve --full`` rebuilds stores keyed the old way.

The keys mirror the blocking of each resolver:

* ``p:<surname>`` — people bucket on the folded surname (people get no
  other name keys; a name with a generational suffix also gets ``p:jr``, the
  bucket of 'Donald Jr.'); organisation mentions, which may be retyped as
  people, are keyed the same way as well;
* ``n:<name>`` / ``a:<letters>`` — other entities bucket on the folded name
  form and on acronym letters (both the short form and the long form's);
* ``r:<description>`` — role-only mentions ("the minister") join a person
  described the same way (people and organisations);
* ``f:<unit>|<status>`` — figures with no resolved subject are
  grouped by measure across documents;
* ``d:<doc>`` — a near-duplicate and its original (always one story).
* ``t:*`` — a document with content terms: stories grouped by what documents
  say weigh terms over the whole corpus (and whether any document has terms
  decides how stories are grouped at all), so such a document can touch every
  other; one key for all of them says so (see :data:`TEXT_KEY`).
* ``s:<term>`` — a document's heaviest content terms (:func:`text_keys`): how
  incremental resolution finds the stories a new document may join without
  reading the store (these relate documents approximately, not by contract).

Events, quotes, figures with a subject and stories relate documents only
through the entities they share, so they add no keys of their own.
"""

from __future__ import annotations

from ..model import DocAnnotations, DocRecord, LocalEntity
from .names import acronym_key, acronym_of, name_tokens, person_suffix, person_tokens
from .stories import index_terms

__all__ = ["doc_keys", "annotation_keys", "original_keys", "entity_keys", "text_keys", "KEY_VERSION", "TEXT_KEY",
           "TEXT_PREFIX"]

# bumped when the keys change meaning; stores keyed with another version are re-keyed
KEY_VERSION = 4  # 4: a surname before a generational suffix ("Comeaux Jr." -> p:comeaux and p:jr)
TEXT_KEY = "t:*"
TEXT_PREFIX = "s:"

_ARTICLES = ("the", "a", "an")


def entity_keys(ent: LocalEntity) -> set[str]:
    """One local entity's blocking keys (see the module docstring), with ``r:`` when its name or
    a description has no words left (role grouping compares those too; :func:`doc_keys` drops it)."""
    out: set[str] = set()
    forms = [ent.name, *ent.aliases, *(m.span.text for m in ent.mentions if m.kind == "name")]
    person = ent.type == "PERSON"
    maybe_person = person or ent.type == "ORG"  # organisation mentions may be retyped as people
    for f in dict.fromkeys(forms):  # each form once: a name is most often repeated
        if not f or not f.strip():
            continue
        if maybe_person and (toks := person_tokens(f)):
            out.add("p:" + toks[-1])
            if sfx := person_suffix(f):  # 'Donald Jr.' joins 'Donald Trump Jr.' (resolve.entities)
                out.add("p:" + sfx)
        if person:
            continue  # people are bucketed on surnames only
        toks = name_tokens(f)
        if toks and toks[0] == "the" and len(toks) > 1:
            toks = toks[1:]
        if toks:
            out.add("n:" + " ".join(toks))
            if acro := acronym_of(toks):
                out.add("a:" + acro)
        if letters := acronym_key(f):
            out.add("a:" + letters)
    if maybe_person:
        for d in (ent.name, *ent.descriptions):
            toks = name_tokens(d)
            out.add("r:" + " ".join(toks))
            out.add("r:" + " ".join(t for t in toks if t not in _ARTICLES))
    return out


def doc_keys(record: DocRecord | None, ann: DocAnnotations) -> frozenset[str]:
    """The blocking keys of one document (see the module docstring) but its text keys
    (:func:`text_keys`, weighed with the store's term frequencies)."""
    return annotation_keys(ann) | original_keys(record.duplicate_of if record is not None else None)


def annotation_keys(ann: DocAnnotations) -> frozenset[str]:
    """The keys of :func:`doc_keys` that a document's annotations decide alone: all but
    :func:`original_keys` (the annotators compute them, and the store keeps them with the
    annotations)."""
    out: set[str] = {"d:" + ann.doc}
    for ent in ann.entities:
        out |= entity_keys(ent)
    local = {e.key for e in ann.entities}
    for f in ann.figures:
        if not f.subject or f.subject not in local:  # the period is left out: coarser is safe
            out.add(f"f:{f.unit or ''}|{f.status or ''}")
    if ann.terms:
        out.add(TEXT_KEY)
    out.discard("r:")
    return frozenset(out)


def original_keys(duplicate_of: str | None) -> frozenset[str]:
    """The key a near-duplicate shares with its original (``duplicate_of``, the store's)."""
    return frozenset(("d:" + duplicate_of,)) if duplicate_of else frozenset()


def text_keys(terms, df, n: int) -> frozenset[str]:
    """The text keys of a document with content ``terms``, weighed with the store's document
    frequencies ``df`` over ``n`` documents: its index terms (:func:`~storyline.resolve.stories.index_terms`)."""
    return frozenset(TEXT_PREFIX + w for w in index_terms(terms, df, n))
