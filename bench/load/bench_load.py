"""Load benchmark: concurrent clients against the real server, on PostgreSQL and on SQLite.

For each database, a setup process (its own HELIX_VAR_DIR and DATABASE_URL, migrated from scratch) loads
the demo and a synthetic ecosystem (20,000 organisations; quick: 2,000), adds synthetic needs and offers
(one per ten organisations, embedded with the real encoder) and a few open events, and issues API tokens.
Then ``helix serve`` (gunicorn: two processes per core, 2 threads each, with its background worker) runs in
a subprocess on 127.0.0.1 at a free port, and 50 client threads (60 % anonymous, 24 % the demo member
user, 16 % the demo cluster staff, each logged in once through the login form with its CSRF token; staff
call the API with a bearer token) request a realistic mix for 3 minutes (quick: 15 s), each waiting a
random think time between requests:

    static file (baseline), directory (no filter, pages), directory text search, directory facets,
    organisation profiles (random published slugs), needs-and-offers browse pages, listing details,
    API lists of organisations, listings and events.

Per endpoint: requests, errors (a status of 400 or more, or an exception: must be 0), p50/p95/p99 (ms);
the p50 of each endpoint requested alone before the load ("idle"); the server's memory (VmRSS of the
server and its worker) when it is ready, after the warm-up and at the end. The baseline is the p95 of a
static file served by the same server under the same load (whitenoise, no database): every endpoint's p95
is also shown as a ratio to it. Other processes sharing the machine make absolute figures noisy.

    python -m bench --only load [--quick]
    python -m bench.load.bench_load [--quick] [--organisations N] [--databases postgres,sqlite]
                                    [--clients 50] [--seconds 180] [--think 1.0]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[2]
FULL_SIZE = 20_000
QUICK_SIZE = 2_000
FULL_SECONDS = 180.0
QUICK_SECONDS = 15.0
CLIENTS = 50
THINK_SECONDS = 1.0  # mean pause between a client's requests; each pause is uniform in [0.5, 1.5] x this
LISTINGS_PER_ORGANISATION = 0.1
EVENTS = 12
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REQUEST_TIMEOUT = 60.0
STARTUP_TIMEOUT = 120.0
GOAL_MS = 100.0
BASELINE = "static file (baseline)"
# The endpoints the goal (p95 <= 100 ms) applies to: directory search and profile pages.
GOAL_ENDPOINTS = ("directory", "directory search", "directory facets", "profile")
STATIC_PATH = "/static/helix/helix.css"
DEMO_PASSWORD = "helix-demo"  # noqa: S105 (helix.registry.demo.seeds.DEMO_PASSWORD, public)


# --- figures: pure functions over the samples (tested in tests/bench/test_load.py) ----------------------


class Sample(NamedTuple):
    endpoint: str
    role: str
    ms: float
    status: int  # HTTP status; 0 when the request raised (refused, reset, timed out)


def percentile(values: Iterable[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, math.ceil(share * len(ordered) - 1e-9))  # 1e-9: 0.07 * 100 is 7.000000000000001
    return ordered[min(rank, len(ordered)) - 1]


def is_error(status: int) -> bool:
    """An exception (0) or a client/server error status; redirects count as answers."""
    return status == 0 or status >= 400


def summarise(
    samples: Iterable[Sample], *, by: Callable[[Sample], str] = lambda s: s.endpoint
) -> dict[str, Any]:
    """Per group (endpoint by default): requests, errors, redirects and latency percentiles in ms.

    Percentiles cover every request of the group, failed ones included (a timeout is slow, not absent).
    """
    groups: dict[str, list[Sample]] = {}
    for sample in samples:
        groups.setdefault(by(sample), []).append(sample)
    figures = {}
    for name, group in groups.items():
        times = [s.ms for s in group]
        figures[name] = {
            "requests": len(group),
            "errors": sum(1 for s in group if is_error(s.status)),
            "redirects": sum(1 for s in group if 300 <= s.status < 400),
            "p50_ms": percentile(times, 0.50),
            "p95_ms": percentile(times, 0.95),
            "p99_ms": percentile(times, 0.99),
            "max_ms": max(times),
        }
    return figures


def with_ratios(figures: dict[str, Any], baseline: str) -> dict[str, Any]:
    """Add ``p95_x_baseline`` (each group's p95 divided by the baseline group's p95) to each group."""
    base = figures[baseline]["p95_ms"]
    return {
        name: {**f, "p95_x_baseline": f["p95_ms"] / base if base else float("inf")}
        for name, f in figures.items()
    }


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a Django page."""
    found = re.search(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"', html)
    if not found:
        raise ValueError("no csrfmiddlewaretoken in the page")
    return found.group(1)


def rss_kb(pids: Iterable[int]) -> int:
    """Resident memory (VmRSS, kB) of the processes ``pids`` together; processes gone count 0."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU time used so far by the processes ``pids`` together; processes gone count 0."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (by the parent pid in /proc/<n>/stat)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


# --- the parent: one setup, one server and the clients per database ------------------------------------


def run(
    *,
    quick: bool = False,
    organisations: int | None = None,
    databases: tuple[str, ...] = ("postgres", "sqlite"),
    clients: int = CLIENTS,
    seconds: float | None = None,
    think: float = THINK_SECONDS,
) -> dict[str, Any]:
    size = organisations or (QUICK_SIZE if quick else FULL_SIZE)
    duration = seconds or (QUICK_SECONDS if quick else FULL_SECONDS)
    roles = [_role(i) for i in range(clients)]
    results: dict[str, Any] = {
        "organisations": size,
        "clients": clients,
        "roles": {r: roles.count(r) for r in ("anonymous", "member", "staff")},
        "seconds": duration,
        "think_seconds": [think * 0.5, think * 1.5],
        "databases": {},
    }
    print(
        f"load: {size:,} organisations, {clients} clients ({results['roles']['anonymous']} anonymous, "
        f"{results['roles']['member']} member, {results['roles']['staff']} staff) for {duration:.0f} s, "
        f"think time {think * 0.5:.2f}-{think * 1.5:.2f} s; loopback only",
        flush=True,
    )
    for database in databases:
        with _database(database) as env:
            if env is None:
                print(f"{database}: skipped (not reachable)")
                results["databases"][database] = {"skipped": "not reachable"}
                continue
            started = time.perf_counter()
            data = _setup(env, size)
            print(
                f"{database}: set up in {time.perf_counter() - started:.0f} s ({data['counts']})", flush=True
            )
            figures = _measure(env, data, roles, duration, think, quick)
            results["databases"][database] = figures
            _print(database, figures)
    return results


def _role(index: int) -> str:
    slot = index % 25  # 15 anonymous, 6 member, 4 staff in every 25 clients, interleaved
    return "staff" if slot in {4, 10, 16, 22} else "member" if slot in {2, 6, 9, 13, 18, 21} else "anonymous"


@contextlib.contextmanager
def _database(kind: str) -> Iterator[dict[str, str] | None]:
    """A fresh, empty database for this run (environment for the setup and the server); dropped after."""
    with tempfile.TemporaryDirectory(prefix="helix-load-") as tmp:
        if kind == "sqlite":
            yield {"HELIX_VAR_DIR": tmp, "DATABASE_URL": ""}
            return
        base = os.environ.get("HELIX_BENCH_POSTGRES", POSTGRES_URL)
        name = f"helix_load_{os.getpid()}"
        try:
            import psycopg

            with psycopg.connect(base, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
        except Exception as exc:  # not installed, not running, no rights: the figures are skipped
            print(f"postgres: {type(exc).__name__}: {exc}".strip())
            yield None
            return
        try:
            yield {"HELIX_VAR_DIR": tmp, "DATABASE_URL": f"{base.rsplit('/', 1)[0]}/{name}"}
        finally:
            with psycopg.connect(base, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _environment(env: dict[str, str]) -> dict[str, str]:
    environment = {
        **os.environ,
        **env,
        "HELIX_DEBUG": "false",
        # Production settings, but plain HTTP on the loopback: no redirect to HTTPS (TLS would end at a
        # proxy in front of Helix).
        "HELIX_ENV": "production",
        "HELIX_SSL_REDIRECT": "false",
        "HELIX_SECRET_KEY": secrets.token_urlsafe(50),
        "HELIX_TASKS_IMMEDIATE": "false",
        "HELIX_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "helix.settings",
    }
    if not env["DATABASE_URL"]:
        environment.pop("DATABASE_URL", None)
    return environment


def _setup(env: dict[str, str], size: int) -> dict[str, Any]:
    out = Path(env["HELIX_VAR_DIR"], "setup.json")
    command = [sys.executable, "-m", "bench.load.bench_load", "--setup", str(size), "--out", str(out)]
    subprocess.run(command, cwd=ROOT, env=_environment(env), check=True)  # noqa: S603 (our own module)
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def _server(env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    """``helix serve`` on 127.0.0.1 at a free port, with its worker; stopped (Ctrl+C, then kill) after."""
    port = _free_port()
    log = Path(env["HELIX_VAR_DIR"], "server.log")
    command = [sys.executable, "-m", "helix.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (our own command)
            command, cwd=ROOT, env=_environment(env), stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        status: int | str = "no answer"
        while status != 200:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped at start: {log.read_text(errors='replace')[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer {STATIC_PATH} with 200 in time: {status}")
            time.sleep(0.5)
            probe = Client(port, "anonymous", None)
            with contextlib.suppress(OSError):
                status = probe.request("GET", STATIC_PATH)[0]
            probe.close()
        yield process, port, log
    finally:
        family = descendants(process.pid)
        process.send_signal(signal.SIGINT)  # gunicorn stops gracefully; `helix serve` then stops its worker
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        for pid in family[1:]:  # a worker left behind (only ever processes this run started)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


# --- the clients -------------------------------------------------------------------------------------------


class Client:
    """One browser-like client: a keep-alive connection, its cookies and, for staff, an API token."""

    def __init__(self, port: int, role: str, token: str | None) -> None:
        self.port = port
        self.role = role
        self.token = token
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            content = response.read()
        except Exception:
            self.close()
            raise
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            if value and "max-age=0" not in cookie.lower():
                self.cookies[name.strip()] = value.strip()
            else:
                self.cookies.pop(name.strip(), None)
        if response.will_close:
            self.close()
        return response.status, content

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def log_in(self, username: str) -> int:
        status, page = self.request("GET", "/accounts/login/")
        if status != 200:
            return status
        form = urllib.parse.urlencode(
            {
                "username": username,
                "password": DEMO_PASSWORD,
                "csrfmiddlewaretoken": csrf_token(page.decode()),
            }
        )
        origin = f"http://127.0.0.1:{self.port}"
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
        }
        status, _ = self.request("POST", "/accounts/login/", form.encode(), headers)
        return status if status != 302 or "sessionid" in self.cookies else 401


@dataclass
class Mix:
    """What the clients ask for: request builders by endpoint with their weights, over the setup's data."""

    data: dict[str, Any]
    endpoints: list[tuple[str, int, Callable[[random.Random, Client], tuple[str, dict[str, str]]]]] = field(
        default_factory=list
    )

    def __post_init__(self) -> None:
        d = self.data
        text = [p for p in d["directory_queries"] if list(p) == ["q"]]
        facets = [p for p in d["directory_queries"] if p and list(p) != ["q"]]

        def url(path: str, params: dict[str, Any]) -> str:
            query = urllib.parse.urlencode(params, doseq=True)
            return f"{path}?{query}" if query else path

        def api(client: Client) -> dict[str, str]:
            return {"Authorization": f"Bearer {client.token}"} if client.token else {}

        def directory(rng: random.Random, _c: Client) -> tuple[str, dict[str, str]]:
            page = rng.choice((1, 1, 1, 2, 3, rng.randint(4, 40)))
            return url("/directory/", {"page": page} if page > 1 else {}), {}

        self.endpoints = [
            (BASELINE, 5, lambda _r, _c: (STATIC_PATH, {})),
            ("directory", 8, directory),
            ("directory search", 16, lambda r, _c: (url("/directory/", r.choice(text)), {})),
            ("directory facets", 8, lambda r, _c: (url("/directory/", r.choice(facets)), {})),
            ("profile", 22, lambda r, _c: (f"/organisations/{r.choice(d['slugs'])}/", {})),
            ("needs-offers browse", 10, lambda r, _c: (url("/needs-offers/", r.choice(BROWSE)), {})),
            ("listing detail", 10, lambda r, _c: (f"/needs-offers/{r.choice(d['listings'])}/", {})),
            (
                "api organisations",
                8,
                lambda r, c: (
                    url("/api/registry/organisations", r.choice([{}, {"page": 2}, *text, *facets])),
                    api(c),
                ),
            ),
            ("api listings", 8, lambda r, c: (url("/api/market/listings", r.choice(API_LISTINGS)), api(c))),
            ("api events", 5, lambda _r, c: ("/api/events/events", api(c))),
        ]

    def pick(
        self, rng: random.Random
    ) -> tuple[str, Callable[[random.Random, Client], tuple[str, dict[str, str]]]]:
        name, _weight, build = rng.choices(self.endpoints, weights=[w for _n, w, _b in self.endpoints])[0]
        return name, build


BROWSE: tuple[dict[str, Any], ...] = (
    {},
    {},
    {"page": 2},
    {"side": "need"},
    {"side": "offer"},
    {"q": "heat"},
    {"q": "warmte"},
    {"q": "software"},
    {"region": "antwerpen"},
    {"side": "offer", "q": "solar"},
)
API_LISTINGS: tuple[dict[str, Any], ...] = (
    {},
    {"page": 2},
    {"side": "need"},
    {"side": "offer"},
    {"language": "nl"},
)


def _timed_request(client: Client, path: str, headers: dict[str, str]) -> tuple[float, int, str]:
    started = time.perf_counter()
    try:
        status, _body = client.request("GET", path, headers=headers)
        detail = "" if status < 400 else f"{status} {path}"
    except Exception as exc:  # counted as an error, with its reason
        status, detail = 0, f"{type(exc).__name__}: {exc} ({path})"
    return (time.perf_counter() - started) * 1000, status, detail


def _idle(port: int, mix: Mix, repeats: int) -> dict[str, float]:
    """p50 of each endpoint asked alone, by an anonymous client, before the load (also warms the server)."""
    client = Client(port, "anonymous", None)
    rng = random.Random(7)
    times: dict[str, list[float]] = {}
    for _ in range(repeats + 1):
        for name, _weight, build in mix.endpoints:
            path, headers = build(rng, client)
            ms, _status, _detail = _timed_request(client, path, headers)
            times.setdefault(name, []).append(ms)
    client.close()
    return {name: percentile(values[1:], 0.5) for name, values in times.items()}  # the first run warms up


def _load(port: int, mix: Mix, roles: list[str], duration: float, think: float) -> dict[str, Any]:
    samples: list[Sample] = []
    logins: list[Sample] = []
    errors: list[str] = []
    lock = threading.Lock()
    window: dict[str, float] = {}

    def open_window() -> None:  # run once, when every client has logged in, before any is released
        window["start"] = time.monotonic()
        window["end"] = window["start"] + duration

    ready = threading.Barrier(len(roles) + 1, action=open_window)

    def client_thread(index: int, role: str) -> None:
        rng = random.Random(1000 + index)
        client = Client(port, role, mix.data["tokens"]["staff"] if role == "staff" else None)
        mine: list[Sample] = []
        if role != "anonymous":
            started = time.perf_counter()
            try:
                status = client.log_in(mix.data["users"][role])
            except Exception as exc:  # counted, and the client goes on anonymously
                status = 0
                with lock:
                    errors.append(f"login {role}: {type(exc).__name__}: {exc}")
            with lock:
                logins.append(Sample("login (form)", role, (time.perf_counter() - started) * 1000, status))
        try:
            ready.wait(timeout=STARTUP_TIMEOUT)
        except threading.BrokenBarrierError:
            return
        deadline = window["end"]
        while time.monotonic() < deadline:
            name, build = mix.pick(rng)
            path, headers = build(rng, client)
            ms, status, detail = _timed_request(client, path, headers)
            mine.append(Sample(name, role, ms, status))
            if detail and len(errors) < 1000:
                with lock:
                    errors.append(f"{name} ({role}): {detail}")
            pause = rng.uniform(0.5 * think, 1.5 * think)
            if pause:
                time.sleep(max(0.0, min(pause, deadline - time.monotonic())))
        client.close()
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client_thread, args=(i, r), daemon=True) for i, r in enumerate(roles)]
    for thread in threads:
        thread.start()
    ready.wait(timeout=STARTUP_TIMEOUT)  # every client has logged in
    for thread in threads:
        thread.join(timeout=duration + REQUEST_TIMEOUT + 30)
    elapsed = time.monotonic() - window["start"]
    return {"samples": samples, "logins": logins, "errors": errors, "elapsed": elapsed}


def _measure(
    env: dict[str, str], data: dict[str, Any], roles: list[str], duration: float, think: float, quick: bool
) -> dict[str, Any]:
    mix = Mix(data)
    with _server(env) as (process, port, log):
        memory = {"ready_kb": rss_kb(descendants(process.pid))}
        idle = _idle(port, mix, repeats=3 if quick else 10)
        memory["warmed_kb"] = rss_kb(descendants(process.pid))
        cpu_before, load_before = cpu_seconds(descendants(process.pid)), os.getloadavg()[0]
        load = _load(port, mix, roles, duration, think)
        cpu = cpu_seconds(descendants(process.pid)) - cpu_before
        machine = {"load_average_start": load_before, "load_average_end": os.getloadavg()[0]}
        memory["end_kb"] = rss_kb(descendants(process.pid))
        memory["processes"] = len(descendants(process.pid))
    samples: list[Sample] = load["samples"]
    endpoints = with_ratios(summarise(samples), BASELINE)
    for name, figures in endpoints.items():
        figures["idle_p50_ms"] = idle.get(name)
    server_log = log.read_text(encoding="utf-8", errors="replace")
    return {
        "server": data["server"],
        "counts": data["counts"],
        "requests": len(samples),
        "errors": sum(1 for s in samples if is_error(s.status)),
        "redirects": sum(1 for s in samples if 300 <= s.status < 400),
        "server_cpu_s": cpu,
        "server_cpu_ms_per_request": cpu * 1000 / len(samples) if samples else 0.0,
        "machine": {**machine, "cores": os.cpu_count()},
        "elapsed_s": load["elapsed"],
        "requests_per_s": len(samples) / load["elapsed"] if load["elapsed"] else 0.0,
        "endpoints": {name: endpoints[name] for name, _w, _b in mix.endpoints if name in endpoints},
        "by_role": summarise(samples, by=lambda s: s.role),
        "logins": summarise(load["logins"]) if load["logins"] else {},
        "memory": memory,
        "error_examples": load["errors"][:20],
        "server_log_errors": [line for line in server_log.splitlines() if "[ERROR]" in line][:20],
        "goal": {name: endpoints[name]["p95_ms"] <= GOAL_MS for name in GOAL_ENDPOINTS if name in endpoints},
    }


def _print(database: str, f: dict[str, Any]) -> None:
    print(
        f"{database} ({f['server']}): {f['requests']:,} requests in {f['elapsed_s']:.0f} s = "
        f"{f['requests_per_s']:.1f} req/s, errors {f['errors']}, redirects {f['redirects']}"
    )
    machine = f["machine"]
    print(
        f"  server CPU (server + worker) {f['server_cpu_s']:.0f} s = {f['server_cpu_ms_per_request']:.1f} ms "
        f"per request; machine load average {machine['load_average_start']:.1f} -> "
        f"{machine['load_average_end']:.1f} on {machine['cores']} cores (other work makes times noisy)"
    )
    columns = ("requests", "errors", "idle p50", "p50", "p95", "p99", "p95 x base")
    print(f"  {'endpoint':<24}" + "".join(f"{c:>11}" for c in columns) + "   (times in ms)")

    def row(name: str, e: dict[str, Any]) -> None:
        idle, ratio = e.get("idle_p50_ms"), e.get("p95_x_baseline")
        cells = [f"{e['requests']:,}", str(e["errors"]), "-" if idle is None else f"{idle:.1f}"]
        cells += [f"{e[p]:.1f}" for p in ("p50_ms", "p95_ms", "p99_ms")]
        cells.append("" if ratio is None else f"{ratio:.1f}")
        print(f"  {name:<24}" + "".join(f"{c:>11}" for c in cells))

    for name, e in f["endpoints"].items():
        row(name, e)
    for role, r in f["by_role"].items():
        row(f"all, {role}", r)
    for name, lg in f["logins"].items():
        row(name, lg)
    m = f["memory"]
    print(
        f"  server memory (VmRSS, server + worker): ready {m['ready_kb'] / 1024:.0f} MB, "
        f"after warm-up {m['warmed_kb'] / 1024:.0f} MB, end {m['end_kb'] / 1024:.0f} MB "
        f"({m['processes']} processes)"
    )
    goals = ", ".join(
        f"{name} {f['endpoints'][name]['p95_ms']:.0f} ms {'ok' if ok else 'MISSED'}"
        for name, ok in f["goal"].items()
    )
    print(f"  goal p95 <= {GOAL_MS:.0f} ms: {goals}")
    for line in f["server_log_errors"][:5]:
        print(f"  server log: {line}")
    for line in f["error_examples"][:5]:
        print(f"  error: {line}")


# --- the setup: runs inside a process whose environment names a fresh database -------------------------


def _setup_worker(size: int, out: Path) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from bench.registry.bench_registry import QUERIES, database_server
    from helix.api.models import ApiToken
    from helix.demo import generate_into_database, load_demo
    from helix.market import services as market
    from helix.market.engine import reindex
    from helix.market.models import Listing
    from helix.registry.models import Domain, Organisation

    load_demo()
    generate_into_database(size - Organisation.objects.count(), seed=1)
    listings = _add_listings(int(size * LISTINGS_PER_ORGANISATION))
    _add_events()
    DBTaskResult.objects.all().delete()  # the indexing tasks of the new listings: reindex embeds them all
    reindex()
    DBTaskResult.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    domains = {f"{c}/{s}": pk for c, s, pk in Domain.objects.values_list("cluster__slug", "slug", "pk")}
    queries = []
    for _label, params in QUERIES:
        values = dict(params)
        if "domain" in values:
            values["domain"] = [domains[d] for d in values["domain"]]
        queries.append(values)
    User = get_user_model()  # noqa: N806 (a class)
    token = ApiToken.objects.issue(User.objects.get(username="staff"), "load benchmark")[1]
    slugs = list(Organisation.objects.filter(is_published=True).values_list("slug", flat=True))
    visible = list(market.visible_listings(AnonymousUser()).active().values_list("pk", flat=True))
    rng = random.Random(3)
    data = {
        "server": database_server(),
        "counts": {
            "organisations": Organisation.objects.count(),
            "published": len(slugs),
            "listings": Listing.objects.count(),
            "listings_added": listings,
            "public_active_listings": len(visible),
        },
        "slugs": rng.sample(slugs, min(len(slugs), 5000)),
        "listings": visible,
        "directory_queries": queries,
        "tokens": {"staff": token},
        "users": {"member": "member", "staff": "staff"},
    }
    out.write_text(json.dumps(data), encoding="utf-8")


def _add_listings(count: int) -> int:
    """``count`` needs and offers of generated organisations, written like the demo's (save_listing)."""
    from django.db import transaction

    from helix.market import services as market
    from helix.market.demo import DEMO_LISTINGS
    from helix.market.models import Listing
    from helix.registry.demo.bulk import generated_organisations
    from helix.registry.models import Sector, Site

    rng = random.Random(2)
    owners = list(
        generated_organisations().filter(is_published=True).order_by("pk").values_list("pk", flat=True)
    )
    chosen = rng.sample(owners, min(count, len(owners)))
    cities = dict(
        Site.objects.filter(organisation__in=chosen, is_headquarters=True).values_list("organisation", "city")
    )
    sectors = {s.code: s for s in Sector.objects.all()}
    with transaction.atomic():
        for i, organisation_id in enumerate(chosen):
            seed = DEMO_LISTINGS[i % len(DEMO_LISTINGS)]
            city = cities.get(organisation_id)
            listing = Listing(
                organisation_id=organisation_id,
                title=f"{seed.title} ({city})" if city else seed.title,
                side=seed.side,
                category=seed.category,
                description=seed.description,
                trl=seed.trl,
                budget_min=seed.budget_min,
                budget_max=seed.budget_max,
                visibility=seed.visibility,
                status=seed.status,
                is_sample=True,
            )
            codes = [c for c in (_nace(code) for code in seed.sectors) if c in sectors]
            market.save_listing(listing, sectors=[sectors[c] for c in codes], keywords=seed.keywords)
    return len(chosen)


def _nace(code: str) -> str:
    from helix.core.registry.nace import normalise_nace

    return normalise_nace(code)


def _add_events() -> None:
    import datetime as dt

    from django.utils import timezone

    from helix.events.models import Event, TimeSlot
    from helix.registry.models import Cluster

    clusters = list(Cluster.objects.order_by("pk"))
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=30)
    for i in range(EVENTS):
        event = Event.objects.create(
            cluster=clusters[i % len(clusters)],
            title=f"Matchmaking day {i + 1}",
            description="B2B meetings between members.",
            venue="Brussels",
            status="open",
        )
        TimeSlot.objects.bulk_create(
            TimeSlot(
                event=event,
                start=start + dt.timedelta(minutes=30 * k),
                end=start + dt.timedelta(minutes=30 * k + 25),
            )
            for k in range(8)
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load.bench_load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--organisations", type=int, default=None)
    parser.add_argument("--databases", default="postgres,sqlite")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--think", type=float, default=THINK_SECONDS, help="mean pause between requests (s)")
    parser.add_argument("--setup", type=int, metavar="SIZE", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.setup:
        _setup_worker(args.setup, args.out)
        return 0
    results = run(
        quick=args.quick,
        organisations=args.organisations,
        databases=tuple(d for d in args.databases.split(",") if d),
        clients=args.clients,
        seconds=args.seconds,
        think=args.think,
    )
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / "load.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
