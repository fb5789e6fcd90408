"""The demo: a seeded county committee's year (``generator``), recorded by ``ledger.store.demo``.

Not part of the ledger proper: it writes act documents a clerk could have written, and nothing
else imports it but the demo's recorder, its command and the tests and benchmarks.
"""
