"""Integration: `helix serve` runs several processes (gunicorn) and stops gracefully."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(p) for p in out.stdout.split()]


def test_serve_answers_with_several_processes_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELIX_") and k != "DATABASE_URL"}
    env.update(HELIX_ENV="development", HELIX_VAR_DIR=str(tmp_path), HELIX_WEB_WORKERS="2")
    subprocess.run(
        [sys.executable, "-m", "helix.cli", "manage", "migrate", "-v", "0"], env=env, check=True, timeout=300
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "helix.cli", "serve", "--port", str(port), "--threads", "2", "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline, status = time.monotonic() + 60, None
        while status != 200 and time.monotonic() < deadline:
            time.sleep(0.3)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    status = response.status
                    page = response.read().decode()
            except OSError:
                continue
        assert status == 200
        assert "Find partners in our innovation clusters" in page  # the public home page
        assert len(_children(server.pid)) == 2  # the gunicorn processes (no background worker asked)
        # Several processes share the rate-limit counts and the page cache's version through files.
        assert (tmp_path / "cache").is_dir()
        # SIGHUP: new processes replace the old ones (new code and settings), the server answers on.
        before = set(_children(server.pid))
        server.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
            set(_children(server.pid)) & before or len(_children(server.pid)) < 2
        ):
            time.sleep(0.3)
        after = set(_children(server.pid))
        assert len(after) == 2
        assert not after & before
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    assert "2 processes x 2 threads" in output
