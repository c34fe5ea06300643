"""Word lists and small tables, one home each, imported by ``nlp`` and ``resolve`` alike.

No spaCy and no I/O here: plain strings and sets, so every layer may import them.
"""
