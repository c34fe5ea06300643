"""NLP component tests (a package so basenames may repeat across test folders)."""
