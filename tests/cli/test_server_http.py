"""Integration: `helix serve` answers on HTTP with pages, static files and the API (a real subprocess)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_migrated_database_answers_pages_static_files_and_api(tmp_path):
    env = {**os.environ, "HELIX_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    helix = [sys.executable, "-m", "helix.cli"]
    subprocess.run([*helix, "manage", "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=300)
    port = free_port()
    server = subprocess.Popen([*helix, "serve", "--port", str(port), "--no-worker"], env=env)
    try:
        status = {}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not status:
            try:
                for path in (
                    "/",
                    "/static/helix/helix.css",
                    "/api/registry/organisations",
                    "/accounts/login/",
                ):
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                        status[path] = response.status
            except OSError:
                status = {}
                time.sleep(0.5)
        assert status == {
            "/": 200,
            "/static/helix/helix.css": 200,
            "/api/registry/organisations": 200,
            "/accounts/login/": 200,
        }
    finally:
        server.terminate()
        server.wait(timeout=20)
