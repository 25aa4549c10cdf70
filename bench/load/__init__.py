"""Load benchmark: concurrent clients against the real server (see bench_load)."""
