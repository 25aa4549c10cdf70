"""Registry benchmark: directory search latency and import throughput, on SQLite and PostgreSQL.

For each database, a worker process (its own HELIX_VAR_DIR and DATABASE_URL, migrated from scratch)
generates a synthetic ecosystem (``helix demo generate``) and times:

- directory search: ~50 realistic queries (free text, facets, combinations) through
  ``search_organisations`` (first page listed, total counted) and ``directory_facets``, for an
  anonymous visitor and for cluster staff; p50 and p95 over the queries of each query's median time;
- the generator itself and, when ``helix.registry.transfer`` is there, a CSV export of the registry
  and its import into a second, fresh database (rows per second).

Baselines measured in the same process make figures comparable across machines: search times are
divided by the time of one full scan of the organisation table (``count(*)`` with a ``LIKE`` on
``search_text`` that matches nothing), write rates by the rate of a plain ``executemany`` insert into
a two-column table.

    python -m bench --only registry [--quick]
    python -m bench.registry.bench_registry [--quick] [--organisations N] [--databases sqlite,postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FULL_SIZE = 20_000
QUICK_SIZE = 2_000
PAGE_SIZE = 25
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"

# (label, parameters as the directory page receives them); domains are "cluster/domain-slug".
QUERIES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("directory, no filter", {}),
    ("text: energie", {"q": "energie"}),
    ("text: heat pumps", {"q": "heat pumps"}),
    ("text: solar", {"q": "solar"}),
    ("text: batterij", {"q": "batterij"}),
    ("text: district heating", {"q": "district heating"}),
    ("text: software", {"q": "software"}),
    ("text: Gent", {"q": "Gent"}),
    ("text: Leuven", {"q": "Leuven"}),
    ("text: Luxembourg", {"q": "Luxembourg"}),
    ("text: Esch", {"q": "Esch"}),
    ("text: coatings", {"q": "coatings"}),
    ("text: medical devices", {"q": "medical devices"}),
    ("text: recycling", {"q": "recycling"}),
    ("text: timber", {"q": "timber"}),
    ("text: cloud", {"q": "cloud"}),
    ("text: flexibility", {"q": "flexibility"}),
    ("text: smart charging", {"q": "smart charging"}),
    ("text: renoveert", {"q": "renoveert"}),
    ("text: Kenniscentrum", {"q": "Kenniscentrum"}),
    ("text: Stad", {"q": "Stad"}),
    ("text: S.à r.l.", {"q": "S.à r.l."}),
    ("text: 62.10", {"q": "62.10"}),
    ("text: Peeters", {"q": "Peeters"}),
    ("text: enervalis", {"q": "enervalis"}),
    ("text: identifier", {"q": "0202.239.951"}),
    ("text: Wärmepumpen", {"q": "Wärmepumpen"}),
    ("text: pompes à chaleur", {"q": "pompes à chaleur"}),
    ("text: no match", {"q": "qqxyzzy"}),
    ("kind: company", {"kind": ["company"]}),
    ("kind: knowledge institution", {"kind": ["knowledge_institution"]}),
    ("kind: government", {"kind": ["government"]}),
    ("region: antwerpen", {"region": ["antwerpen"]}),
    ("region: luxembourg", {"region": ["luxembourg"]}),
    ("region: west-vlaanderen + limburg", {"region": ["west-vlaanderen", "limburg"]}),
    ("sector: 62", {"sector": ["62"]}),
    ("sector: 35", {"sector": ["35"]}),
    ("sector: 43.22", {"sector": ["43.22"]}),
    ("cluster: flux50", {"cluster": ["flux50"]}),
    ("cluster: lu-healthtech", {"cluster": ["lu-healthtech"]}),
    ("level: member", {"level": ["member"]}),
    ("level: strategic partner", {"level": ["strategic_partner"]}),
    ("domain: flexible grids", {"domain": ["flux50/flexible-grids-storage"]}),
    ("text+kind+region", {"q": "energy", "kind": ["company"], "region": ["limburg"]}),
    ("text+cluster", {"q": "software", "cluster": ["flux50"]}),
    ("text+sector", {"q": "heat", "sector": ["35"]}),
    ("text+region+kind", {"q": "renovatie", "region": ["oost-vlaanderen"], "kind": ["company"]}),
    ("cluster+level", {"cluster": ["flux50"], "level": ["member"]}),
    ("cluster+kind+level", {"cluster": ["lu-cleantech"], "kind": ["company"], "level": ["interested"]}),
    ("region+sector", {"region": ["antwerpen"], "sector": ["43"]}),
    (
        "text+cluster+domain",
        {"q": "warmte", "cluster": ["smart-energy-cities"], "domain": ["smart-energy-cities/groene-warmte"]},
    ),
    (
        "kind+region+sector+level",
        {"kind": ["company"], "region": ["vlaams-brabant"], "sector": ["62"], "level": ["loi_signed"]},
    ),
)


# --- the parent: one worker process per database ------------------------------------------------------


def run(
    *,
    quick: bool = False,
    organisations: int | None = None,
    databases: tuple[str, ...] = ("sqlite", "postgres"),
) -> dict[str, Any]:
    size = organisations or (QUICK_SIZE if quick else FULL_SIZE)
    repeats = 2 if quick else 3
    results: dict[str, Any] = {
        "organisations": size,
        "repeats": repeats,
        "queries": len(QUERIES),
        "databases": {},
    }
    print(
        f"registry: {size:,} generated organisations, {len(QUERIES)} directory queries x {repeats} runs",
        flush=True,
    )
    for database in databases:
        with _database(database) as urls:
            if urls is None:
                print(f"{database}: skipped (not reachable)")
                results["databases"][database] = {"skipped": "not reachable"}
                continue
            figures = _worker(urls[0], "search", size=size, repeats=repeats)
            export_dir = figures.get("export_dir")
            if export_dir:
                figures["import"] = _worker(urls[1], "import", export=export_dir)
            results["databases"][database] = figures
            _print(database, figures)
    return results


@contextlib.contextmanager
def _database(kind: str) -> Iterator[tuple[dict[str, str], dict[str, str]] | None]:
    """Two fresh, empty databases (environment for the worker): one to search, one to import into."""
    with tempfile.TemporaryDirectory(prefix="helix-bench-") as tmp:
        first, second = Path(tmp, "search"), Path(tmp, "import")
        first.mkdir()
        second.mkdir()
        if kind == "sqlite":
            yield (
                {"HELIX_VAR_DIR": str(first), "DATABASE_URL": ""},
                {"HELIX_VAR_DIR": str(second), "DATABASE_URL": ""},
            )
            return
        base = os.environ.get("DATABASE_URL", "")
        base = base if base.startswith("postgres") else POSTGRES_URL
        names = [f"helix_bench_{os.getpid()}_search", f"helix_bench_{os.getpid()}_import"]
        if not _create_postgres(base, names):
            yield None
            return
        try:
            root = base.rsplit("/", 1)[0]
            yield (
                {"HELIX_VAR_DIR": str(first), "DATABASE_URL": f"{root}/{names[0]}"},
                {"HELIX_VAR_DIR": str(second), "DATABASE_URL": f"{root}/{names[1]}"},
            )
        finally:
            _drop_postgres(base, names)


def _postgres(base: str) -> Any:
    import psycopg

    return psycopg.connect(base, autocommit=True, connect_timeout=3)


def _create_postgres(base: str, names: list[str]) -> bool:
    try:
        with _postgres(base) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # not installed, not running, no rights: the figures are skipped
        print(f"postgres: {type(exc).__name__}: {exc}".strip())
        return False
    return True


def _drop_postgres(base: str, names: list[str]) -> None:
    with _postgres(base) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _worker(env: dict[str, str], phase: str, **options: Any) -> dict[str, Any]:
    out = Path(env["HELIX_VAR_DIR"], f"{phase}.json")
    command = [sys.executable, "-m", "bench.registry.bench_registry", "--worker", phase, "--out", str(out)]
    for name, value in options.items():
        command += [f"--{name}", str(value)]
    environment = {**os.environ, **env, "HELIX_DEBUG": "false", "DJANGO_SETTINGS_MODULE": "helix.settings"}
    if not env["DATABASE_URL"]:
        environment.pop("DATABASE_URL", None)
    subprocess.run(command, cwd=ROOT, env=environment, check=True)  # noqa: S603 (our own module)
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return figures


def _print(database: str, f: dict[str, Any]) -> None:
    base = f["baseline"]
    scan = base["scan_ms"]
    print(f"{database} ({f['server']})")
    print(
        f"  baseline: full scan {scan:.2f} ms, count(*) {base['count_ms']:.2f} ms, "
        f"plain insert {base['insert_rows_per_s']:,.0f} rows/s"
    )
    print(f"  {'directory search':<26}{'p50 ms':>9}{'p95 ms':>9}{'p50 x scan':>12}{'p95 x scan':>12}")
    for user in ("anonymous", "staff"):
        for part in ("search", "facets", "total"):
            p = f["latency"][user][part]
            print(
                f"  {user + ' ' + part:<26}{p['p50_ms']:>9.2f}{p['p95_ms']:>9.2f}"
                f"{p['p50_ms'] / scan:>12.1f}{p['p95_ms'] / scan:>12.1f}"
            )
    slow = f["latency"]["staff"]["slowest"]
    print(f"  slowest for staff: {slow['label']} ({slow['ms']:.1f} ms)")
    g = f["generate"]
    print(
        f"  generate: {g['organisations']:,} organisations in {g['seconds']:.1f} s = "
        f"{g['organisations_per_s']:,.0f} organisations/s ({g['rows_per_s']:,.0f} rows/s, "
        f"x{g['rows_per_s'] / base['insert_rows_per_s']:.3f} plain insert)"
    )
    if "skipped" in f.get("transfer", {}):
        print(f"  import: skipped: {f['transfer']['skipped']}")
        return
    e = f["transfer"]
    print(f"  export: {e['rows']:,} rows to CSV in {e['seconds']:.1f} s = {e['rows_per_s']:,.0f} rows/s")
    i = f["import"]
    if not i.get("ok"):
        print(f"  import: failed: {i.get('summary')}")
        return
    print(
        f"  import: {i['rows']:,} rows in {i['seconds']:.1f} s = {i['rows_per_s']:,.0f} rows/s "
        f"(x{i['rows_per_s'] / i['baseline']['insert_rows_per_s']:.3f} plain insert); {i['summary']}"
    )


# --- the workers: run inside a process whose environment names a fresh database --------------------------


def _setup() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _timed(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def _baseline() -> dict[str, float]:
    from django.db import connection, transaction

    from helix.registry.models import Organisation

    table = Organisation._meta.db_table
    with connection.cursor() as cursor:

        def scan() -> None:
            cursor.execute(f"SELECT count(*) FROM {table} WHERE search_text LIKE %s", ["%qqxyzzy%"])  # noqa: S608
            cursor.fetchone()

        def count() -> None:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            cursor.fetchone()

        scan()
        scan_ms = statistics.median(_timed(scan) for _ in range(9))
        count_ms = statistics.median(_timed(count) for _ in range(9))
        rows = [(i, f"row {i} of the baseline table") for i in range(20_000)]
        cursor.execute("CREATE TABLE bench_baseline (id integer PRIMARY KEY, label varchar(200))")

        def insert() -> None:  # 500 rows per INSERT statement, as the generator writes
            for start in range(0, len(rows), 500):
                chunk = rows[start : start + 500]
                values = ", ".join(["(%s, %s)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO bench_baseline (id, label) VALUES {values}",  # noqa: S608
                    [v for row in chunk for v in row],
                )

        with transaction.atomic():
            insert_ms = _timed(insert)
        cursor.execute("DROP TABLE bench_baseline")
    return {"scan_ms": scan_ms, "count_ms": count_ms, "insert_rows_per_s": len(rows) / (insert_ms / 1000)}


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def database_server() -> str:
    """The database and its version, as the figures name it (bench/load reads it too)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def _directory_queries() -> list[tuple[str, Any]]:
    from helix.registry.models import Domain
    from helix.registry.search import DirectoryQuery

    domains = {f"{c}/{s}": pk for c, s, pk in Domain.objects.values_list("cluster__slug", "slug", "pk")}
    built = []
    for label, params in QUERIES:
        values = dict(params)
        if "domain" in values:
            values["domain"] = [str(domains[d]) for d in values["domain"]]
        built.append((label, DirectoryQuery.from_params(values)))
    return built


def _latency(user: Any, queries: list[tuple[str, Any]], repeats: int) -> dict[str, Any]:
    from helix.registry.search import directory_facets, search_organisations

    samples: dict[str, list[list[float]]] = {"search": [], "facets": [], "total": []}
    for _label, query in queries:
        runs: dict[str, list[float]] = {"search": [], "facets": [], "total": []}
        for attempt in range(repeats + 1):  # the first run warms caches and is not counted
            started = time.perf_counter()
            results = search_organisations(user, query)
            list(results[:PAGE_SIZE])
            results.count()
            searched = time.perf_counter()
            directory_facets(user, query)
            done = time.perf_counter()
            if attempt:
                runs["search"].append((searched - started) * 1000)
                runs["facets"].append((done - searched) * 1000)
                runs["total"].append((done - started) * 1000)
        for part, values in runs.items():
            samples[part].append(values)
    figures: dict[str, Any] = {}
    for part, per_query in samples.items():
        medians = [statistics.median(v) for v in per_query]
        figures[part] = {
            "p50_ms": _percentile(medians, 0.50),
            "p95_ms": _percentile(medians, 0.95),
            "per_query_ms": {label: m for (label, _q), m in zip(queries, medians, strict=True)},
        }
    slowest = max(figures["total"]["per_query_ms"].items(), key=lambda item: item[1])
    figures["slowest"] = {"label": slowest[0], "ms": slowest[1]}
    return figures


def _transfer() -> Any:
    try:
        from helix.registry import transfer
    except ImportError:
        return None
    if not (hasattr(transfer, "export_registry") and hasattr(transfer, "import_file")):
        return None
    return transfer


def _search_worker(size: int, repeats: int, out: Path) -> None:
    _setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    from helix.demo import generate_into_database, load_demo
    from helix.registry.models import Membership, MembershipChange, Organisation, Person, Site

    figures: dict[str, Any] = {"server": database_server(), "baseline": {}}

    def rows() -> int:
        models = (Organisation, Site, Person, Membership, MembershipChange)
        links = (Organisation.sectors.through, Organisation.keywords.through, Membership.domains.through)
        return sum(m.objects.count() for m in (*models, *links))

    load_demo()
    before = rows()
    report = generate_into_database(size - Organisation.objects.count(), seed=1)
    written = rows() - before
    figures["generate"] = {
        "organisations": report.organisations,
        "seconds": report.seconds,
        "organisations_per_s": report.organisations / report.seconds,
        "rows": written,
        "rows_per_s": written / report.seconds,
    }
    _analyze()
    figures["baseline"] = _baseline()
    figures["organisations"] = Organisation.objects.count()
    queries = _directory_queries()
    staff = get_user_model().objects.get(username="staff")
    figures["latency"] = {
        "anonymous": _latency(AnonymousUser(), queries, repeats),
        "staff": _latency(staff, queries, repeats),
    }
    transfer = _transfer()
    if transfer is None:
        figures["transfer"] = {"skipped": "transfer not available (helix.registry.transfer)"}
    else:
        target = out.parent / "export"
        started = time.perf_counter()
        exported = transfer.export_registry(target, fmt="csv")
        seconds = time.perf_counter() - started
        count = sum(exported.counts.values())
        figures["transfer"] = {
            "rows": count,
            "seconds": seconds,
            "rows_per_s": count / seconds,
            "counts": exported.counts,
        }
        figures["export_dir"] = str(target)
    out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


def _import_worker(export: Path, out: Path) -> None:
    _setup()
    from helix.demo import load_demo

    transfer = _transfer()
    load_demo()  # the clusters and domains that the exported memberships refer to
    baseline = _baseline()
    started = time.perf_counter()
    report = transfer.import_file(export)
    seconds = time.perf_counter() - started
    rows = report.row_count
    figures = {
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds if seconds else 0.0,
        "ok": report.ok,
        "summary": report.summary(),
        "created": report.created,
        "updated": report.updated,
        "baseline": baseline,
    }
    out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.registry.bench_registry",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--organisations", type=int, default=None)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--worker", choices=("search", "import"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=3, help=argparse.SUPPRESS)
    parser.add_argument("--export", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "search":
        _search_worker(args.size, args.repeats, args.out)
    elif args.worker == "import":
        _import_worker(args.export, args.out)
    else:
        results = run(
            quick=args.quick,
            organisations=args.organisations,
            databases=tuple(d for d in args.databases.split(",") if d),
        )
        results_dir = ROOT / "bench" / "results"
        results_dir.mkdir(exist_ok=True)
        (results_dir / "registry.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
