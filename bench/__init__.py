"""Load-test harness of the gateway: `make bench` (see docs/benchmarks.md)."""
