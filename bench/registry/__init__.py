"""Registry benchmark: directory search latency and import throughput (see bench_registry)."""
