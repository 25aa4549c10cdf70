"""Unit: the load benchmark's figures (percentiles, per-endpoint summary, ratios) and its small helpers."""

import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import bench_load as bench
from bench.load.bench_load import Sample

pytestmark = pytest.mark.unit


def test_percentile_is_the_nearest_rank():
    values = [float(v) for v in range(100, 0, -1)]  # 1..100, unordered
    assert [bench.percentile(values, p) for p in (0.0, 0.07, 0.5, 0.95, 0.99, 1.0)] == [
        1.0,
        7.0,
        50.0,
        95.0,
        99.0,
        100.0,
    ]


def test_percentile_of_a_few_values_takes_the_next_one_up():
    assert [bench.percentile([30.0, 10.0, 20.0], p) for p in (0.5, 0.95, 0.99)] == [20.0, 30.0, 30.0]
    assert bench.percentile([4.0], 0.95) == 4.0


def test_percentile_of_nothing_is_refused():
    with pytest.raises(ValueError, match="no values"):
        bench.percentile([], 0.5)


def test_summary_counts_errors_and_redirects_per_endpoint():
    samples = [
        Sample("profile", "anonymous", 10.0, 200),
        Sample("profile", "member", 30.0, 302),
        Sample("profile", "staff", 20.0, 404),
        Sample("profile", "anonymous", 40.0, 0),  # the request raised
        Sample("static", "anonymous", 1.0, 200),
        Sample("static", "staff", 3.0, 500),
    ]
    assert bench.summarise(samples) == {
        "profile": {
            "requests": 4,
            "errors": 2,
            "redirects": 1,
            "p50_ms": 20.0,
            "p95_ms": 40.0,
            "p99_ms": 40.0,
            "max_ms": 40.0,
        },
        "static": {
            "requests": 2,
            "errors": 1,
            "redirects": 0,
            "p50_ms": 1.0,
            "p95_ms": 3.0,
            "p99_ms": 3.0,
            "max_ms": 3.0,
        },
    }
    by_role = bench.summarise(samples, by=lambda s: s.role)
    assert {role: (f["requests"], f["errors"]) for role, f in by_role.items()} == {
        "anonymous": (3, 1),
        "member": (1, 0),
        "staff": (2, 2),
    }


def test_ratios_divide_each_p95_by_the_baselines():
    figures = {"base": {"p95_ms": 2.0}, "search": {"p95_ms": 50.0}}
    assert bench.with_ratios(figures, "base") == {
        "base": {"p95_ms": 2.0, "p95_x_baseline": 1.0},
        "search": {"p95_ms": 50.0, "p95_x_baseline": 25.0},
    }


def test_roles_of_fifty_clients():
    roles = [bench._role(i) for i in range(50)]
    assert {r: roles.count(r) for r in set(roles)} == {"anonymous": 30, "member": 12, "staff": 8}
    assert {bench._role(i) for i in range(10)} == {"anonymous", "member", "staff"}  # small runs have all


def test_csrf_token_is_read_from_the_form():
    page = '<form><input type="hidden" name="csrfmiddlewaretoken" value="abc123XYZ"></form>'
    assert bench.csrf_token(page) == "abc123XYZ"
    with pytest.raises(ValueError, match="no csrfmiddlewaretoken"):
        bench.csrf_token("<form></form>")


def test_memory_of_a_process_and_its_children():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        family = bench.descendants(os.getpid())
        assert family[0] == os.getpid()
        assert child.pid in family
        assert bench.rss_kb([child.pid]) > 0
        assert bench.rss_kb(family) > bench.rss_kb([os.getpid()])
    finally:
        child.kill()
        child.wait()
    assert bench.rss_kb([child.pid]) == 0  # gone: counts nothing


class _CookieServer(BaseHTTPRequestHandler):
    def do_GET(self):
        cookies = {
            "/set": ["sessionid=s1; HttpOnly; Path=/", "csrftoken=c1; Path=/"],
            "/drop": ['sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/'],
        }.get(self.path, [])
        body = (self.headers.get("Cookie") or "-").encode()
        self.send_response(200)
        for cookie in cookies:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_client_keeps_and_drops_cookies_like_a_browser():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CookieServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = bench.Client(server.server_address[1], "member", None)
        assert client.request("GET", "/set") == (200, b"-")
        assert client.request("GET", "/echo") == (200, b"sessionid=s1; csrftoken=c1")
        assert client.request("GET", "/drop") == (200, b"sessionid=s1; csrftoken=c1")
        assert client.request("GET", "/echo") == (200, b"csrftoken=c1")
        client.close()
    finally:
        server.shutdown()
        server.server_close()


def test_cpu_seconds_grow_with_work_and_ignore_processes_gone():
    before = bench.cpu_seconds([os.getpid()])
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:
        pass
    assert bench.cpu_seconds([os.getpid()]) - before >= 0.15
    assert bench.cpu_seconds([2**22 + 1]) == 0.0  # above the largest pid Linux hands out
