"""Use cases: each command gets aggregates, changes them and saves them."""
