"""Run every benchmark found under bench/ (or those named with --only) and print their figures."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"


def discover() -> dict[str, str]:
    """Benchmark name → module: every bench/<name>/bench_<name>.py."""
    found = {}
    for package in sorted(BENCH_DIR.iterdir()):
        if (
            package.is_dir()
            and (package / "__init__.py").exists()
            and (package / f"bench_{package.name}.py").exists()
        ):
            found[package.name] = f"bench.{package.name}.bench_{package.name}"
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="run only this benchmark")
    parser.add_argument("--quick", action="store_true", help="small sizes: a fast check")
    args = parser.parse_args(argv)
    benches = discover()
    unknown = sorted(set(args.only) - set(benches))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)} (found: {', '.join(benches) or 'none'})")
    selected = [name for name in benches if not args.only or name in args.only]
    RESULTS_DIR.mkdir(exist_ok=True)
    failed = []
    for name in selected:
        print(f"== {name}{' (quick)' if args.quick else ''}", flush=True)
        started = time.perf_counter()
        try:
            results: dict[str, Any] = importlib.import_module(benches[name]).run(quick=args.quick)
        except Exception:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
            continue
        path = RESULTS_DIR / f"{name}.json"
        path.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
        seconds = time.perf_counter() - started
        print(f"== {name}: done in {seconds:.0f} s; figures in {path.relative_to(BENCH_DIR.parent)}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
