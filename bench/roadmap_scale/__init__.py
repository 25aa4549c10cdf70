"""Roadmap scale benchmark: validation, critical path and a what-if slip on a generated 10,000-item
roadmap, against a naive critical path in the same run (see bench_roadmap_scale)."""
