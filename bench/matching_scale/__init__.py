"""Matching scale benchmark: exact vs approximate nearest-neighbour search (see bench_matching_scale)."""
