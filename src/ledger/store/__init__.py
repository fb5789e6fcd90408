"""Where events live: the eventsourcing application, its recorders (SQLite by default,
PostgreSQL for scale), the mapper between domain events and sealed records, and a ledger's home."""
