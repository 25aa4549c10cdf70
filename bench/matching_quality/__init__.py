"""Matching-quality benchmark: needs → offers retrieval on a hand-written set (see bench_matching_quality)."""
