"""Read views shared by the CLI, the JSON API and the web pages.

Every function takes the Store first and returns plain dicts and lists
(JSON-ready). Citations are ``"doc:start-end"`` strings. Views read through
the Store's indexed queries (``storyline.kb.queries``): one entity or story
never loads the whole store.

    display.py    values as people read them: citations, dates, titles, source names
    documents.py  the document list, one document, a cited span in context, search
    items.py      events (timeline), entities, quotes, figures, conflicts
    briefs.py     stories, one story, its brief, its sources compared
"""

from __future__ import annotations

from ..resolve.brief import distinct, plural, value_words  # words for people: one home
from .briefs import brief, brief_view, compare, stories, story
from .display import cite, date_text, derived_title, is_plain_fact, outlet, parse_cite, precision, short_name
from .documents import cited_span, count, documents_of, list_documents, search, show_document, snippet_parts
from .items import ENTITY_SORTS, conflicts, entities, entity_profile, event_label, event_row, figures, quotes, timeline

_event_row = event_row  # the name web/browse.py still imports; new code: event_row

__all__ = [
    "cite", "precision", "date_text", "event_label", "event_row", "outlet", "derived_title", "short_name",
    "is_plain_fact", "count", "documents_of", "list_documents", "show_document", "cited_span", "parse_cite",
    "search", "snippet_parts", "timeline", "ENTITY_SORTS", "entities", "entity_profile", "quotes", "figures", "conflicts",
    "stories", "story", "brief", "brief_view", "compare", "plural", "value_words", "distinct",
]
