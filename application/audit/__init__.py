"""Audit: statements recomputed from the raw ledger and management history alone."""
