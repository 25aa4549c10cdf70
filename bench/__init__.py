"""Helix benchmarks: ``python -m bench`` (what ``make bench`` runs).

Each benchmark is a package ``bench/<name>/`` with a module ``bench_<name>.py`` that defines
``run(*, quick: bool) -> dict``. ``run`` prints its figures, each next to a ratio to a baseline measured
in the same run on the same machine (so figures compare across machines), and returns them; they are
also written to ``bench/results/<name>.json`` (git-ignored).

    python -m bench                    # every benchmark
    python -m bench --only registry    # one (repeatable)
    python -m bench --quick            # small sizes, a fast check that the benchmarks still run
"""
