"""Adapters: the event store, crypto, clock, HTTP clients, and the composition root."""
