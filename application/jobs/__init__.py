"""Scheduled, idempotent jobs: running one twice emits nothing new."""
