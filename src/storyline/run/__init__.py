"""The only code that knows the order of the stages (ingest -> nlp -> kb -> resolve -> kb)."""

from .local import IngestReport, ingest, reannotate, reresolve

__all__ = ["IngestReport", "ingest", "reannotate", "reresolve"]
