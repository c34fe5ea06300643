"""Annotations written a batch to a transaction (issue 20 §1): each document whole or not at all,
a document the store refuses flagged while the batch goes on, and writing again changes nothing."""

from __future__ import annotations

import dataclasses
import pickle

import kb_sample as sample
import pytest

from storyline.errors import StoreError
from storyline.kb.writes import EncodedAnnotations, decode_annotations, encode_annotations


def _with_documents(store):
    for d in sample.documents():
        store.add_document(d)
    return store


def test_encoded_annotations_are_stored_as_the_objects_are(store):
    anns = sample.annotations()
    enc = [encode_annotations(a) for a in anns]
    assert pickle.loads(pickle.dumps(enc)) == enc  # what a worker process sends: plain rows
    assert all(isinstance(e, EncodedAnnotations) for e in enc)
    assert _with_documents(store).save_encoded(enc) == []
    assert list(store.annotations()) == anns
    assert store.resolution_owed() is not None  # every save owes a resolution


def test_decoded_rows_are_the_annotations_the_store_reads_back(store):
    # what the process that stores a worker's rows keeps for the resolution that follows
    anns = sample.annotations()
    enc = [encode_annotations(a) for a in anns]
    assert [decode_annotations(e) for e in enc] == anns
    _with_documents(store).save_encoded(enc)
    assert list(store.annotations()) == [decode_annotations(e) for e in enc]


def test_a_refused_document_is_flagged_and_the_batch_goes_on(store):
    a, b = sample.annotations()
    broken = dataclasses.replace(a, quotes=a.quotes + a.quotes[:1])  # a duplicate quote id breaks a key
    _with_documents(store)
    refused = store.save_encoded([encode_annotations(broken), encode_annotations(b)])
    assert [d for d, _ in refused] == [a.doc]
    assert list(store.annotations()) == [b]  # nothing of the refused document was written
    assert [(f["doc"], f["code"]) for f in store.failures()] == [(a.doc, "E203")]
    assert store.stats()["quotes"] == len(b.quotes)


def test_writing_a_batch_again_changes_nothing_but_the_resolution_owed(store):
    enc = [encode_annotations(x) for x in sample.annotations()]
    _with_documents(store).save_encoded(enc)
    before = store.dump()
    store.save_encoded(enc)
    after = store.dump()
    assert after.pop("store_state") != before.pop("store_state")  # the owed count: two more saves
    assert after == before


def test_flags_go_in_with_the_batch(store):
    a, b = sample.annotations()
    _with_documents(store).save_encoded([encode_annotations(b)], [(a.doc, "E201", "annotation failed: boom")])
    assert [(f["doc"], f["code"], f["reason"]) for f in store.failures()] == [(a.doc, "E201", "annotation failed: boom")]
    assert store.annotated_ids() == {b.doc}


def test_any_other_error_undoes_the_whole_batch(store, monkeypatch):
    a, b = sample.annotations()
    _with_documents(store)
    before = store.dump()
    real = type(store)._write_annotations

    def fails_on_second(self, conn, enc):
        if enc.doc == b.doc:
            raise StoreError("disk full", code="E300")
        return real(self, conn, enc)

    monkeypatch.setattr(type(store), "_write_annotations", fails_on_second)
    with pytest.raises(StoreError):
        store.save_encoded([encode_annotations(a), encode_annotations(b)])
    assert store.dump() == before  # the first document's writes were undone with the batch


def _keys(store) -> list[tuple]:
    return sorted(tuple(r) for r in store._conn.execute("SELECT doc, key FROM doc_keys"))


def _key_versions(store) -> dict:
    return dict(store._conn.execute("SELECT doc, key_version FROM annotated").fetchall())


def test_keys_given_with_annotations_are_written_with_them(store):
    """Keys given with a document's annotations (their version on its ``annotated`` row) go in
    with it in the batch's transaction; a refused document's do not, and annotations saved
    again (with keys or without) replace them."""
    a, b = sample.annotations()
    broken = dataclasses.replace(a, quotes=a.quotes + a.quotes[:1])  # refused: a duplicate quote id
    _with_documents(store)
    refused = store.save_encoded([encode_annotations(broken, ["n:x", "d:" + a.doc], 7),
                                  encode_annotations(b, ["d:" + b.doc, "p:y"], 7)])
    assert [d for d, _ in refused] == [a.doc]
    assert _keys(store) == [(b.doc, "d:" + b.doc), (b.doc, "p:y")]
    assert _key_versions(store) == {b.doc: 7}
    store.save_encoded([encode_annotations(a, ["n:x"], 7), encode_annotations(b, ["p:z"], 8)])
    assert _keys(store) == [(a.doc, "n:x"), (b.doc, "p:z")]
    assert _key_versions(store) == {a.doc: 7, b.doc: 8}
    store.save_annotations(encode_annotations(b))  # no keys given: none kept, and none said to be
    store.save_annotations(a)
    assert _keys(store) == [] and _key_versions(store) == {a.doc: None, b.doc: None}
    assert encode_annotations(a, ["n:x"]) == encode_annotations(a)  # keys without a version are none
