"""Benchmarks of treem: `make bench` (or `python -m benchmarks`). Never part of `make test`."""
