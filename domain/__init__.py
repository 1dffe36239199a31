"""The gateway's domain model: plain Python and eventsourcing.domain only."""
