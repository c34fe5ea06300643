"""Events across documents: reports of one happening become one Event with one
EventReport per report, each keeping the date that report gives.

Blocking key: (type, sorted resolved participant entity ids); inside a bucket
reports are taken in date order and join the best compatible cluster:

* modes agree (equal, or one side unknown);
* dates within ``event_day_window`` days, or one side unknown; two reports
  from one document with different days are two events (an article does not
  contradict itself), so are reports whose dates are further apart;
* two undated reports join only when both articles are dated within the
  window and their sentences are worded alike (token Jaccard >= 0.3); statements (``SAME_DAY_ONLY``) only when both give the same date;
* a ``repeat`` report ("met again", "a second call") joins only a cluster
  whose every dated report gives its own, known, date (same precision);
* among several compatible clusters: the nearest date, then the highest token
  Jaccard of the reporting sentences (a cheap wording tie-breaker, no embeddings).

Afterwards an event whose reports name only some participants ("Brandt held
talks") joins the one compatible event of that type naming all of them.

The Event's ``when`` is the date with most independent sources (near-duplicates
count once); ties go to the more precise, then the earlier date. Reports with
disjoint dates are left for :mod:`.conflicts` to report.
"""

from __future__ import annotations

from collections import defaultdict
from operator import attrgetter
from typing import AbstractSet, Mapping, Sequence

from ..lexicon.events import GENERIC_VERBS, concept
from ..model import DocAnnotations, Event, EventMention, EventReport, Participant, When
from .common import content_tokens, day_gap, independent, jaccard, stable_id, tally
from .eventreports import Cluster, Report, mode_of, report_of

__all__ = ["resolve_events", "Report", "Cluster", "report_of", "bucket_key", "cluster_buckets", "concept_group", "concept_events",
           "when_of", "SAME_DAY_ONLY"]

# a person says many things: statements merge only when both reports give the same date
SAME_DAY_ONLY = frozenset({"STATEMENT"})
# token Jaccard of the reporting sentences required when no date can vouch for a match
UNDATED_WORDING = 0.3
PARTIAL_WORDING = 0.2
# reports joined by a generic verb alone ("called", "made") need this token Jaccard when they share no participant
GENERIC_WORDING = 0.3
# interactions whose participants say which one it is ("Rubio met Rutte" is not "Rubio met Albares")
PLOVER_DYADIC = frozenset({"CONSULT", "AGREE", "COOPERATE", "DEMAND", "THREATEN", "SUPPORT", "REJECT", "DISAPPROVE",
                           "SANCTION", "AID", "CONCEDE", "STATEMENT"})
_NOBODY: frozenset[str] = frozenset()


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return day_gap(a, b) == 0


def _fits(r: Report, c: Cluster, window: int, doc_days: Mapping) -> int | None:
    """Day distance to the cluster when ``r`` may join it, else None."""
    mode = mode_of(r.mention)
    if mode and c.modes and mode not in c.modes:
        return None
    ivs = c.ivs()
    if r.iv and any(not _overlap(r.iv, iv) for iv in c.doc_ivs(r.doc)):
        return None
    if r.mention.type in SAME_DAY_ONLY or r.mention.repeat or c.repeat:
        if r.iv is None or not ivs or not all(iv == r.iv for iv in ivs):
            return None
    if r.iv is None and not ivs:
        # nothing dated on either side: only articles published close together
        mine = doc_days.get(r.doc)
        theirs = [doc_days.get(o.doc) for o in c.reports]
        if mine is None or any(t is None or day_gap(mine, t) > window for t in theirs):
            return None
        if jaccard(r.tokens, c.tokens) < UNDATED_WORDING:
            return None  # and only when they are worded alike
        return 0
    if r.iv is None or not ivs:
        # one side undated: it may be the same event only when its article appeared near the
        # dated reports, or when the two are worded alike (an undated article of unknown date
        # naming the same country is not enough)
        undated_docs = [r.doc] if r.iv is None else [o.doc for o in c.reports]
        dated_ivs = ivs if r.iv is None else [r.iv]
        near = all(
            doc_days.get(d) is not None and min(day_gap(doc_days[d], iv) for iv in dated_ivs) <= window
            for d in undated_docs
        )
        if not near and jaccard(r.tokens, c.tokens) < UNDATED_WORDING:
            return None
        return 0
    gap = min(day_gap(r.iv, iv) for iv in ivs)
    return gap if gap <= window else None


def _take(c: Cluster, r: Report) -> Cluster:
    """``c`` with the report ``r`` added to it."""
    c.reports.append(r)
    if mode := mode_of(r.mention):
        c.modes.add(mode)
    c.repeat = c.repeat or r.mention.repeat
    return c


def _cluster_bucket(reports: list[Report], window: int, doc_days: Mapping) -> list[Cluster]:
    dated = sorted((r for r in reports if r.iv), key=lambda r: (r.iv, r.doc, r.mention.id))
    undated = sorted((r for r in reports if not r.iv), key=lambda r: (r.doc, r.mention.id))
    clusters: list[Cluster] = []
    active: list[Cluster] = []
    for r in dated + undated:
        if r.iv is not None:
            active = [c for c in active if max(iv[1] for iv in c.ivs()) >= r.iv[0] - window]
            pool = active
        elif r.mention.type in SAME_DAY_ONLY or r.mention.repeat:
            pool = []  # an undated statement or repeat fits no cluster (_fits): an event of its own
        else:
            pool = clusters
        best, best_rank, tied = None, None, False
        for c in pool:
            gap = _fits(r, c, window, doc_days)
            if gap is None:
                continue
            rank = (gap, 0, 0, -jaccard(r.tokens, c.tokens))
            near, ivs = doc_days.get(r.doc), c.ivs()
            if r.iv is None and near is not None and ivs:
                dist = min(day_gap(near, iv) for iv in ivs)
                if dist > 31:
                    continue  # an undated report in an article far from the event's date
                # prefer the event dated before the article came out, then the nearest
                later = int(min(iv[0] for iv in ivs) > near[1])
                rank = (gap, later, dist, -jaccard(r.tokens, c.tokens))
            if best_rank is None or rank < best_rank:
                best, best_rank, tied = c, rank, False
            elif rank == best_rank:
                tied = True
        if best is not None and r.iv is None and tied:
            best = None  # one side unknown and several equally good events: leave it alone
        if best is None:
            best = Cluster()
            clusters.append(best)
            if r.iv is not None:
                active.append(best)
        _take(best, r)
    return clusters


def when_of(reports: Sequence[Report], duplicate_of: Mapping[str, str | None]) -> When | None:
    """The date most independent sources give; ties: more precise, then earlier."""
    by_iv: dict[tuple[int, int], list[Report]] = defaultdict(list)
    for r in reports:
        if r.iv is not None:
            by_iv[r.iv].append(r)
    if not by_iv:
        return None

    def rank(iv):
        support = independent({r.doc for r in reports if r.iv and iv[0] >= r.iv[0] and iv[1] <= r.iv[1]}, duplicate_of)
        return (-support, iv[1] - iv[0], iv[0])

    best = next(iter(by_iv)) if len(by_iv) == 1 else min(by_iv, key=rank)
    told = by_iv[best]
    first = told[0] if len(told) == 1 else min(told, key=lambda r: (r.doc, r.mention.id))
    return first.mention.when


# reports in the order of their documents and their places there (every tie in _build is broken by it)
_report_order = attrgetter("doc", "mention.span.start", "mention.id")
_role_order = attrgetter("role", "entity")


def _most(counts: Mapping[str, int]) -> str:
    """The key counted most (then the first in order); one key: that one."""
    if len(counts) == 1:
        return next(iter(counts))
    return min(counts, key=lambda k: (-counts[k], k))


def _count_roles(roles: dict[str, dict[str, int]], doc: str, m: EventMention, entity_of: Mapping) -> None:
    """Count the role ``m`` gives each of its resolved participants into ``roles`` (entity -> role -> count)."""
    for p in m.participants:
        ent = entity_of.get((doc, p.entity))
        if ent:
            cnt = roles.get(ent)
            if cnt is None:
                cnt = roles[ent] = {}
            cnt[p.role] = cnt.get(p.role, 0) + 1


def _participants(roles: Mapping[str, Mapping[str, int]]) -> tuple[Participant, ...]:
    """Each entity counted in the role it is given most, in role order."""
    if not roles:  # 8,708 of the 14,777 events of the 772 ECB+ articles name no resolved participant
        return ()
    if len(roles) == 1:
        e, cnt = next(iter(roles.items()))
        return (Participant(e, _most(cnt)),)
    return tuple(sorted((Participant(e, _most(cnt)) for e, cnt in roles.items()), key=_role_order))


def _build(bucket_type: str, c: Cluster, entity_of: Mapping, duplicate_of: Mapping) -> Event:
    if len(c.reports) == 1:  # most events
        return _build_one(bucket_type, c.reports[0], entity_of)
    reports = sorted(c.reports, key=_report_order)
    # what the reports say, counted in one pass (in report order, as every tie below is broken by it)
    ids: list[str] = []
    labels: dict[str, int] = {}
    roles: dict[str, dict[str, int]] = {}
    wheres: dict[str, int] = {}
    modes: dict[str, int] = {}
    told: dict[str, set[str]] = {}  # modality -> the documents telling the event so
    mentions = []
    main = False
    for r in reports:
        m, doc = r.mention, r.doc
        ids.append(f"{doc}:{m.id}")
        if m.label:
            labels[m.label] = labels.get(m.label, 0) + 1
        if m.participants:
            _count_roles(roles, doc, m, entity_of)
        if m.where and (w := entity_of.get((doc, m.where))):
            wheres[w] = wheres.get(w, 0) + 1
        if mode := mode_of(m):
            modes[mode] = modes.get(mode, 0) + 1
        if (docs := told.get(modality := m.modality or "asserted")) is None:
            docs = told[modality] = set()
        docs.add(doc)
        mentions.append(EventReport(m.span, m.id, m.when, m.trigger, m.modality, m.salience))
        main = main or m.salience == 1
    named = {lab: n for lab, n in labels.items() if not lab.startswith("someone")}
    pool = named or labels
    if len(pool) == 1:
        label = next(iter(pool))
    else:
        label = min(pool, key=lambda s: (-pool[s], len(s), s)) if pool else bucket_type
    return Event(
        id=stable_id("evt_", ids),
        type=bucket_type,
        label=label,
        participants=_participants(roles),
        when=when_of(reports, duplicate_of),
        mentions=tuple(mentions),
        mode=_most(modes) if modes else None,
        where=_most(wheres) if wheres else None,
        sources=independent(set().union(*told.values()), duplicate_of),
        modality=_modality_of(told, duplicate_of),
        main=main,
    )


def _build_one(bucket_type: str, r: Report, entity_of: Mapping) -> Event:
    """The event of one report: what :func:`_build` counts, with nothing to count."""
    m, doc = r.mention, r.doc
    participants: tuple[Participant, ...] = ()
    if m.participants:
        roles: dict[str, dict[str, int]] = {}
        _count_roles(roles, doc, m, entity_of)
        participants = _participants(roles)
    return Event(
        id=stable_id("evt_", (f"{doc}:{m.id}",)),
        type=bucket_type,
        label=m.label or bucket_type,
        participants=participants,
        when=m.when if r.iv is not None else None,  # when_of: only a date that is a day interval
        mentions=(EventReport(m.span, m.id, m.when, m.trigger, m.modality, m.salience),),
        mode=mode_of(m) or None,
        where=(entity_of.get((doc, m.where)) or None) if m.where else None,
        sources=1,
        modality=m.modality or "asserted",
        main=m.salience == 1,
    )


def _modality_of(docs: Mapping[str, set[str]], duplicate_of: Mapping[str, str | None]) -> str:
    """What most independent sources say of the event (``docs``: modality -> the documents
    telling it so); ties go to the more cautious word."""
    if len(docs) == 1:
        return next(iter(docs))
    order = ("asserted", "planned", "expected", "possible", "requested", "hypothetical", "denied", "negated")
    return min(docs, key=lambda m: (-independent(docs[m], duplicate_of), -order.index(m) if m in order else 0))


def _join_partial(
    found: list[tuple[str, tuple, Cluster]], by_key: Mapping[tuple[str, tuple], list[int]], window: int, doc_days: Mapping,
    entity_of: Mapping | None = None,
) -> list[int]:
    """Join an event whose reports name only some of the participants ("Brandt held
    talks") to the one compatible event of the same type naming all of them; the positions
    in ``found`` of the clusters left, in order (``by_key``: the positions of the clusters
    of each bucket that names participants, see :func:`cluster_buckets`). With
    ``entity_of``, who acted must agree: an event with a known actor takes in only reports
    naming one of its actors as acting (farmers demanding at a protest, their actor unnamed,
    are not the minister demanding by phone, though both demand something of one country)."""
    named = {key: frozenset(key[1]) for key in by_key}
    index: dict[tuple[str, str], list[tuple[str, tuple]]] = defaultdict(list)
    for key in by_key:
        for p in key[1]:
            index[(key[0], p)].append(key)
    # the events each may join are those of its type naming all its participants and more (the
    # same for every event of one bucket: worked out once per type and participants, from the
    # keys naming its least named participant); the events that have some are taken, in order
    # (the others join nothing, whatever is merged)
    wider: dict[tuple, list[int]] = {}
    sharing: list[int] = []
    for key, mine in by_key.items():
        least = min((index[(key[0], p)] for p in key[1]), key=len)
        wider[key] = sorted(j for other in least if named[other] > named[key] for j in by_key[other])
        if wider[key]:
            sharing.extend(mine)
    merged: set[int] = set()
    for i in sorted(sharing, key=lambda i: (len(found[i][1]), repr(found[i][1]), found[i][0], i)):
        typ, pids, c = found[i]
        cands = [j for j in wider[(typ, pids)] if j not in merged]
        fits = [
            j
            for j in cands
            if all(
                _fits(r, found[j][2], window, doc_days) is not None
                and (r.iv is not None or jaccard(r.tokens, found[j][2].tokens) >= PARTIAL_WORDING)
                for r in c.reports
            )
            and (entity_of is None or _agents_agree(c, found[j][2], entity_of))
        ]
        if len(fits) == 1:
            target = found[fits[0]][2]
            for r in c.reports:
                target.reports.append(r)
                if mode_of(r.mention):
                    target.modes.add(mode_of(r.mention))
                target.repeat = target.repeat or r.mention.repeat
            merged.add(i)
    return [i for i in range(len(found)) if i not in merged] if merged else list(range(len(found)))


def _actors(c: Cluster, entity_of: Mapping) -> frozenset[str]:
    return frozenset(e for r in c.reports for p in r.mention.participants
                     if p.role == "actor" and (e := entity_of.get((r.doc, p.entity))))


def _agents_agree(part: Cluster, whole: Cluster, entity_of: Mapping) -> bool:
    """Who acted agrees: the whole names no actor, or the part names one of its actors."""
    known = _actors(whole, entity_of)
    return not known or bool(_actors(part, entity_of) & known)


def _cluster_span(c: Cluster) -> tuple[int, int] | None:
    ivs = c.ivs()
    return (min(iv[0] for iv in ivs), max(iv[1] for iv in ivs)) if ivs else None


def _concept_of(c: Cluster) -> str | None:
    # mapped again through today's concept table, so a store annotated earlier gains its synonyms
    concepts = tally(concept(r.mention.concept) for r in c.reports if r.mention.concept)
    return min(concepts, key=lambda k: (-concepts[k], k)) if concepts else None


def _polarity(c: Cluster) -> str | None:
    """"done" when every report tells it as happened, "not" when every report negates it, else
    None (planned, expected, denied, imagined or mixed reports join either: "tried to flee" is
    most often told of the flight others report as done)."""
    mods = {r.mention.modality or "asserted" for r in c.reports}
    if mods == {"asserted"}:
        return "done"
    if mods <= {"negated"}:
        return "not"
    return None


def _people(c: Cluster, entity_of: Mapping[tuple[str, str], str]) -> frozenset[str]:
    """The resolved entities the cluster's reports name as taking part."""
    return frozenset(e for r in c.reports for p in r.mention.participants if (e := entity_of.get((r.doc, p.entity))))


def _traits(typ: str, c: Cluster, entity_of: Mapping[tuple[str, str], str], people: bool = True) -> tuple:
    """What the concept join compares of a cluster of type ``typ``: its :func:`_polarity`, whether
    it is an interaction, its :func:`_people` (``people``: when they are compared, else none) and
    its :func:`_cluster_span`."""
    if len(c.reports) == 1:  # most clusters: what those give for one report, in one go
        r = c.reports[0]
        m = r.mention
        one = m.modality or "asserted"
        ppl = (frozenset(e for p in m.participants if (e := entity_of.get((r.doc, p.entity))))
               if people and m.participants else _NOBODY)
        return "done" if one == "asserted" else "not" if one == "negated" else None, typ in PLOVER_DYADIC, ppl, r.iv
    return _polarity(c), typ in PLOVER_DYADIC, _people(c, entity_of) if people else _NOBODY, _cluster_span(c)


def _trigger_words(c: Cluster) -> frozenset[str]:
    """The content tokens of the triggers of a cluster's reports."""
    return frozenset().union(*(content_tokens(r.mention.trigger.text) for r in c.reports))


def _beyond_trigger(a: AbstractSet[str], b: AbstractSet[str], trig: AbstractSet[str]) -> float:
    """Token Jaccard of two clusters' reporting sentences (``a``, ``b``) without their triggers' words
    (``trig``): ``jaccard(a - trig, b - trig)`` from the sizes, without copying ``b`` (a cluster
    joined by many reports is compared with each new one)."""
    mine = a - trig
    theirs = len(b) - len(b & trig)
    if not mine or not theirs:
        return 0.0
    both = len(mine & b)  # mine holds no trigger word
    return both / (len(mine) + theirs - both)


def concept_group(typ: str, c: Cluster, story_of: Mapping[str, int], entity_of: Mapping[tuple[str, str], str]) -> tuple | None:
    """The (story, concept) group in which :func:`_join_by_concept` may join the cluster ``c``
    of type ``typ`` to others, or None (it joins none by its word)."""
    if len(c.reports) == 1:  # most clusters: what the tallies below give for one report
        r = c.reports[0]
        if r.mention.repeat:
            return None
        one: str | None
        if typ in SAME_DAY_ONLY:
            if not _people(c, entity_of):
                return None
            one = "say"
        else:
            one = concept(r.mention.concept) if r.mention.concept else None
        return None if one is None or r.doc not in story_of else (story_of[r.doc], one)
    if all(r.mention.repeat for r in c.reports):
        return None  # "met again": never joined by its word to an earlier one
    key_concept = _concept_of(c)
    if typ in SAME_DAY_ONLY:
        if not _people(c, entity_of):
            return None  # a statement joins another only through its speaker
        key_concept = "say"  # said, told, according to: one statement by one speaker in one story
    stories = tally(story_of.get(r.doc) for r in c.reports if r.doc in story_of)
    if key_concept is None or not stories:
        return None
    return (min(stories, key=lambda k: (-stories[k], k)), key_concept)


def _join_by_concept(
    found: list[tuple[str, tuple, Cluster]], story_of: Mapping[str, int], window: int, entity_of: Mapping[tuple[str, str], str],
    keys: Sequence[tuple | None] | None = None,
) -> list[tuple[str, tuple, Cluster]]:
    """Reports in one story whose triggers name one concept ("quake" and "earthquake",
    "shooting" and "shot") are one event unless both are dated and their dates do not
    overlap, one is told as done and the other as not done, or one is told
    as happening again; among several candidates, the one most reports tell. Statements
    keep their own rule; an interaction (who met, called, threatened whom) joins only one
    between the same people (one side's among the other's), both dated or both undated. A
    generic verb (:data:`~storyline.lexicon.events.GENERIC_VERBS`: "called", "made") is more
    than its word only when the reports share a participant or are worded alike
    (``GENERIC_WORDING``): "voters called" and "what he called" stay apart. ``keys``: each
    cluster's :func:`concept_group`, when already worked out. (Reports
    of one event that disagree on its date are matched by participants, above, so that
    the disagreement is found; a shared word alone is not enough for that.)"""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, (typ, _pids, c) in enumerate(found):
        if (key := concept_group(typ, c, story_of, entity_of) if keys is None else keys[i]) is not None:
            groups[key].append(i)
    groups = {key: g for key, g in groups.items() if len(g) > 1}  # a cluster alone in its group joins nothing
    gone: set[int] = set()  # joined to another
    grown: set[int] = set()  # others joined to it
    polarity: dict[int, str | None] = {}
    dyadic: dict[int, bool] = {}
    people: dict[int, frozenset[str]] = {}
    spans: dict[int, tuple[int, int] | None] = {}  # kept up to date as clusters join
    for key, g in groups.items():
        # who takes part is compared only where an interaction or a generic verb may join (on the 772
        # ECB+ articles in 521 of 4,807 groups)
        asked = key[1] in GENERIC_VERBS or any(found[i][0] in PLOVER_DYADIC for i in g)
        for i in g:
            typ, _pids, c = found[i]
            polarity[i], dyadic[i], people[i], spans[i] = _traits(typ, c, entity_of, asked)
    triggers: dict[int, frozenset[str]] = {}  # the words of a cluster's triggers, once asked (kept up to date)

    def trigger_words(i: int) -> frozenset[str]:
        if (words := triggers.get(i)) is None:
            words = triggers[i] = _trigger_words(found[i][2])
        return words

    for key in sorted(groups, key=repr):
        # the dated clusters by their span, then the undated ones (34,677 of the 35,549 on the 772 ECB+
        # articles), each in their order (a group lists its clusters in order)
        g = groups[key]
        dated = sorted((i for i in g if spans[i] is not None), key=lambda i: (spans[i], i))
        members = dated + [i for i in g if spans[i] is None] if dated else g
        generic = key[1] in GENERIC_VERBS
        heads: list[int] = []
        for i in members:
            c = found[i][2]
            span, dy, pol, ppl = spans[i], dyadic[i], polarity[i], people[i]
            # among the heads it fits, the one most reports tell (then the earliest)
            target, most = None, -1
            for h in heads:
                hs = spans[h]
                if (dy or dyadic[h]) and not (
                    ppl and people[h] and (ppl <= people[h] or people[h] <= ppl) and (span is None) == (hs is None)
                ):
                    continue  # an interaction joins only one between the same people, dated alike
                if pol and polarity[h] and pol != polarity[h]:
                    continue  # one told as done, the other as not done
                if span is not None and hs is not None and day_gap(span, hs) != 0:
                    continue  # both dated, on days that do not overlap
                if generic and not (ppl & people[h]) and _beyond_trigger(
                    c.tokens, found[h][2].tokens, trigger_words(i) | trigger_words(h)
                ) < GENERIC_WORDING:
                    continue  # a shared generic verb is not a shared happening
                if (n := len(found[h][2].reports)) > most:
                    target, most = h, n
            if target is None:
                heads.append(i)
                continue
            t = found[target][2]
            t.reports.extend(c.reports)
            t.modes |= c.modes
            polarity[target] = polarity[target] or pol
            dyadic[target] = dyadic[target] or dy
            if not ppl <= people[target]:
                people[target] = people[target] | ppl
            if target in triggers:
                triggers[target] = triggers[target] | trigger_words(i)
            if span is not None:  # the joined cluster's span: both spans' (the dates of both clusters' reports)
                ts = spans[target]
                spans[target] = span if ts is None else (min(ts[0], span[0]), max(ts[1], span[1]))
            gone.add(i)
            grown.add(target)
    # a plain verb's event (an OTHER cluster is one report until others join it here) takes the type
    # most of its reports have
    retyped: dict[int, str] = {}
    for i in grown:
        if found[i][0] == "OTHER":
            types = tally(r.mention.type for r in found[i][2].reports)
            retyped[i] = min(types, key=lambda k: (k == "OTHER", -types[k], k))
    return [(retyped.get(i, typ), pids, c) for i, (typ, pids, c) in enumerate(found) if i not in gone]


def bucket_key(doc: str, m: EventMention, entity_of: Mapping[tuple[str, str], str]) -> tuple:
    """The bucket of a report: its type and resolved participants; an OTHER one (a plain verb),
    or one naming no resolved entity, is a bucket of its own (matched only by its word, later)."""
    if m.type == "OTHER" or not m.participants:  # most reports (26,076 of 35,718 on the 772 ECB+ articles)
        return (m.type, (doc, m.id))
    ids = tuple(sorted({e for p in m.participants if (e := entity_of.get((doc, p.entity)))}))
    return (m.type, ids) if ids else (m.type, (doc, m.id))


def cluster_buckets(
    buckets: Mapping[tuple, list[Report]], window: int, doc_days: Mapping, entity_of: Mapping[tuple[str, str], str]
) -> list[tuple[tuple[str, int], str, Cluster]]:
    """The reports of each bucket clustered (buckets in the order of their keys' ``repr``), then
    partial participants joined (:func:`_join_partial`): ``(position, type, cluster)`` with each
    cluster's position (its bucket key's ``repr``, its order there), in that order."""
    found: list[tuple[str, tuple, Cluster]] = []
    position: list[tuple[str, int]] = []
    # the clusters of each bucket that names participants: one keyed by its report's (document, mention),
    # an OTHER one (a plain verb's) or one naming no resolved entity, joins none and none joins it (no
    # other key holds its two and more), so it is not even indexed
    by_key: dict[tuple[str, tuple], list[int]] = {}
    names = {key: repr(key) for key in buckets}
    for key in sorted(buckets, key=names.__getitem__):
        reports = buckets[key]
        first = len(found)
        if len(reports) == 1:  # most buckets: one report, one cluster (what _cluster_bucket makes of it)
            r = reports[0]
            mode = mode_of(r.mention)
            found.append((key[0], key[1], Cluster([r], {mode} if mode else set(), r.mention.repeat)))
            position.append((names[key], 0))
            if key[1] == (r.doc, r.mention.id):
                continue  # keyed by itself (31,375 of the 33,388 buckets of the 772 ECB+ articles)
        else:
            for i, c in enumerate(_cluster_bucket(reports, window, doc_days)):
                found.append((key[0], key[1], c))
                position.append((names[key], i))
        if key[0] != "OTHER" and key[1] and isinstance(key[1][0], str):
            by_key[key] = list(range(first, len(found)))
    return [(position[i], found[i][0], found[i][2]) for i in _join_partial(found, by_key, window, doc_days, entity_of)]


def concept_events(
    clusters: Sequence[tuple[str, Cluster]],
    story_of: Mapping[str, int] | None,
    window: int,
    entity_of: Mapping[tuple[str, str], str],
    duplicate_of: Mapping[str, str | None],
    keys: Sequence[tuple | None] | None = None,
) -> list[tuple[Event, Cluster]]:
    """Clusters (in the order :func:`cluster_buckets` gives) joined by concept within a story
    (with ``story_of``: :func:`_join_by_concept`, ``keys`` each cluster's :func:`concept_group`
    when known) and built into events, each with its cluster."""
    joined = [(typ, (), c) for typ, c in clusters]
    if story_of:
        joined = _join_by_concept(joined, story_of, window, entity_of, keys)
    return [(_build(typ, c, entity_of, duplicate_of), c) for typ, _p, c in joined]


def resolve_events(
    annotations: Sequence[DocAnnotations],
    entity_of: Mapping[tuple[str, str], str],
    duplicate_of: Mapping[str, str | None],
    doc_days: Mapping[str, tuple[int, int] | None],
    window: int,
    story_of: Mapping[str, int] | None = None,
) -> tuple[list[Event], dict[tuple[str, str], str]]:
    """Events and the map (doc, EventMention id) -> event id, in one process: the steps the
    resolution engine runs in parts (:func:`bucket_key`, :func:`cluster_buckets`,
    :func:`concept_events`; see :mod:`.partition`).

    With ``story_of`` (document -> story), reports in one story that name one
    concept are joined as well (:func:`_join_by_concept`)."""
    buckets: dict[tuple, list[Report]] = defaultdict(list)
    for ann in annotations:
        for m in ann.events:
            buckets[bucket_key(ann.doc, m, entity_of)].append(report_of(ann.doc, m))
    found = cluster_buckets(buckets, window, doc_days, entity_of)
    built = concept_events([(typ, c) for _pos, typ, c in found], story_of, window, entity_of, duplicate_of)
    event_of = {(r.doc, r.mention.id): ev.id for ev, c in built for r in c.reports}
    return sorted((ev for ev, _c in built), key=lambda e: e.id), event_of
