"""Read models: events in, query-shaped state out."""
