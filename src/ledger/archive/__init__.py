"""Verifiable archives: export (``export.py``) and offline verification (``verify.py``) of a
ledger, whole or in part, in one file (docs/archive-format.md). ``read.py`` reads an archive as
hostile input; ``verify_archive.py`` is the standalone second verifier shipped inside each
archive. The checking of records is :mod:`ledger.integrity.verify`'s, as for a live ledger."""
