from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from service.processes import CLI, REPO, command_env, sqlite_url, start_tropewatch

START_TIMEOUT_S = 90
# A refusal comes before any server starts; a server that started instead would run on.
REFUSAL_TIMEOUT_S = 60
LONG_SECRET = "test-only-" + "k3y-" * 12


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def serve(tmp_path):
    """Start `tropewatch serve ARGS` on a free port; yields its base URL once it answers."""
    processes = []

    def start(*args: str, **env: str) -> str:
        port = _free_port()
        process = start_tropewatch(
            ["serve", "--port", str(port), *args],
            command_env(sqlite_url(tmp_path / "web.sqlite3"),
                        TROPEWATCH_VAR_DIR=str(tmp_path / "var"), **env),
        )
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            try:
                _get(base + "/admin/login/")
                return base
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server did not answer in time")

    yield start
    for process in processes:
        process.terminate()
        process.communicate(timeout=30)


def test_serve_sets_up_the_database_and_serves_the_admin_login(serve):
    base = serve()

    status, page = _get(base + "/admin/login/")

    assert status == 200
    assert b"tropewatch" in page
    assert _get(base + "/")[0] == 200  # redirected to the admin


def test_serve_production_runs_gunicorn_with_static_files(serve):
    base = serve("--production", SECRET_KEY=LONG_SECRET, ALLOWED_HOSTS="127.0.0.1")

    status, _ = _get(base + "/admin/login/")
    css_status, css = _get(base + "/static/admin/css/base.css")

    assert status == 200
    assert css_status == 200 and b"body" in css


def _refused(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run `tropewatch serve ARGS`, which must stop on its own with an error."""
    try:
        return subprocess.run(
            [*CLI, "serve", "--port", str(_free_port()), *args],
            env=command_env(sqlite_url(tmp_path / "web.sqlite3"),
                            TROPEWATCH_VAR_DIR=str(tmp_path / "var"), **env),
            cwd=REPO, capture_output=True, text=True, timeout=REFUSAL_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`tropewatch serve {' '.join(args)}` started a server instead of refusing")


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "review.example.org"])
def test_the_development_server_refuses_to_listen_beyond_this_machine(tmp_path, host):
    result = _refused(tmp_path, "--host", host)

    assert result.returncode == 2
    assert f"--host {host}" in result.stderr
    assert "--production" in result.stderr


@pytest.mark.parametrize("secret", ["abc", "a-test-secret", "x" * 60])
def test_production_refuses_a_short_or_simple_secret_key(tmp_path, secret):
    result = _refused(tmp_path, "--production", SECRET_KEY=secret, ALLOWED_HOSTS="127.0.0.1")

    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr
    assert "50" in result.stderr


def test_production_refuses_debug(tmp_path):
    result = _refused(tmp_path, "--production", SECRET_KEY=LONG_SECRET,
                      ALLOWED_HOSTS="127.0.0.1", DEBUG="1")

    assert result.returncode == 2
    assert "DEBUG" in result.stderr
