"""Who may use `inhouse serve` and how much: API keys, rate limits and quotas, usage that
survives any ending of a request, and the audit log — against a real server with its own
INHOUSE_HOME, driven by the official `openai` client and raw HTTP."""
import json
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from contextlib import contextmanager

import openai
import pytest

from conftest import run_inhouse
from test_serve import Server


@pytest.fixture
def home(tmp_path):
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def smollm2_path(default_store):
    return default_store["smollm2"]["path"]


def create_key(home, name, *limits):
    result = run_inhouse("keys", "create", "--name", name, *limits, home=home)
    key = result.stdout.strip()
    assert key.startswith("ihk_") and "shown only now" in result.stderr
    return key


@contextmanager
def server_with_key(home, model, name, *limits):
    """A server whose only key is `name` with `limits`; it must stop cleanly."""
    server = Server(home=home, model=model, api_key=create_key(home, name, *limits), parallel=2)
    try:
        yield server
    finally:
        assert server.stop() == 0


def usage_rows(home):
    with sqlite3.connect(home / "access.db") as db:
        return db.execute("SELECT key_name, prompt_tokens, completion_tokens, outcome, http_status FROM usage "
                          "ORDER BY id").fetchall()


def test_keys_are_stored_hashed_listed_and_revoked(home):
    key = create_key(home, "alice", "--rpm", "5")
    assert run_inhouse("keys", "create", "--name", "alice", home=home, check=False).returncode == 1
    listing = run_inhouse("keys", "list", home=home).stdout
    assert "alice" in listing and key not in listing and key.split("_")[1] in listing
    with open(home / "access.db", "rb") as db:
        assert key.split("_")[2].encode() not in db.read(), "the secret itself is never stored"
    assert (os.stat(home / "access.db").st_mode & 0o077) == 0, "the database is private to its owner"
    run_inhouse("keys", "revoke", "alice", home=home)
    assert run_inhouse("keys", "revoke", "alice", home=home, check=False).returncode == 1


def test_a_server_with_keys_refuses_missing_wrong_revoked_and_url_keys(home, smollm2_path):
    alice = create_key(home, "alice")
    bob = create_key(home, "bob")
    server = Server(home=home, model=smollm2_path, api_key=alice, parallel=2)
    try:
        reply = server.client().chat.completions.create(
            model=server.model, messages=[{"role": "user", "content": "Hi"}], max_tokens=4)
        assert reply.usage.completion_tokens >= 1
        for headers in ({"Authorization": ""}, {"Authorization": "Bearer ihk_000000000000_" + "0" * 64},
                        {"Authorization": "Basic " + alice}, {"Authorization": f"Bearer {alice}x"}):
            status, response_headers, body = server.request("GET", "/v1/models", headers=headers)
            assert status == 401, (headers, body)
            assert json.loads(body)["error"]["code"] == "invalid_api_key"
            assert response_headers.get("WWW-Authenticate") == "Bearer"
        with pytest.raises(openai.AuthenticationError):
            server.client(api_key="sk-wrong").models.list()
        # A key in the URL is refused even alongside a good header, and the URL is not logged.
        status, _, body = server.request("GET", f"/v1/models?api_key={bob}")
        assert status == 401 and b"Authorization header" in body
        assert server.request("GET", f"/health?key={bob}")[0] == 401
        # Probes need no key.
        assert server.request("GET", "/health", headers={"Authorization": ""})[0] == 200
        assert server.request("GET", "/ready", headers={"Authorization": ""})[0] == 200
        run_inhouse("keys", "revoke", "bob", home=home)
        assert server.request("GET", "/v1/models", headers={"Authorization": f"Bearer {bob}"})[0] == 401
        # Revoking every key keeps auth on: nobody gets in, rather than everybody.
        run_inhouse("keys", "revoke", "alice", home=home)
        assert server.request("GET", "/v1/models")[0] == 401
    finally:
        assert server.stop() == 0
    assert bob not in "".join(server.log)


def test_a_non_loopback_address_needs_keys_or_an_explicit_opt_out(home, smollm2_path):
    result = run_inhouse("serve", "-m", smollm2_path, "--host", "0.0.0.0", "--port", "0", home=home, check=False,
                         timeout=60)
    assert result.returncode == 1
    assert "refusing to serve on 0.0.0.0 without API keys" in result.stderr
    assert "--insecure-no-auth" in result.stderr
    open_server = Server("--host", "0.0.0.0", "--insecure-no-auth", home=home, model=smollm2_path, parallel=1)
    try:
        assert open_server.request("GET", "/v1/models")[0] == 200
    finally:
        assert open_server.stop() == 0
    assert any("--insecure-no-auth" in line for line in open_server.log)


def test_requests_per_minute_are_limited_with_retry_after(home, smollm2_path):
    with server_with_key(home, smollm2_path, "carol", "--rpm", "2") as server:
        body = {"model": server.model, "prompt": "One", "max_tokens": 2}
        assert server.request("POST", "/v1/completions", body)[0] == 200
        assert server.request("POST", "/v1/completions", body)[0] == 200
        status, headers, payload = server.request("POST", "/v1/completions", body)
        assert status == 429
        assert 1 <= int(headers["Retry-After"]) <= 60
        assert json.loads(payload)["error"]["code"] == "rate_limit_exceeded"
        with pytest.raises(openai.RateLimitError):
            server.client().completions.create(model=server.model, prompt="One", max_tokens=2)


def test_tokens_per_minute_count_prompt_and_max_tokens(home, smollm2_path):
    with server_with_key(home, smollm2_path, "dave", "--tpm", "300") as server:
        too_large = server.request("POST", "/v1/completions", {"prompt": "Hello", "max_tokens": 400})
        assert too_large[0] == 429 and b"lower max_tokens" in too_large[2]
        assert "Retry-After" not in too_large[1], "waiting cannot help a request larger than the limit"
        # The window holds what a request used once it ends: 200 generated tokens here.
        first = server.request("POST", "/v1/completions", {"prompt": "Hello", "max_tokens": 200, "ignore_eos": True})
        assert first[0] == 200
        second = server.request("POST", "/v1/completions", {"prompt": "Hello", "max_tokens": 200})
        assert second[0] == 429 and int(second[1]["Retry-After"]) >= 1


def test_a_quota_caps_generation_then_refuses(home, smollm2_path):
    with server_with_key(home, smollm2_path, "erin", "--quota", "60") as server:
        client = server.client()
        first = client.completions.create(model=server.model, prompt="Count: 1, 2, 3,", max_tokens=200,
                                          temperature=0, extra_body={"ignore_eos": True})
        used = first.usage.prompt_tokens + first.usage.completion_tokens
        assert used == 60, "the quota lowered max_tokens to what was left"
        assert first.choices[0].finish_reason == "length"
        with pytest.raises(openai.RateLimitError) as refused:
            client.completions.create(model=server.model, prompt="More", max_tokens=5)
        assert refused.value.body["code"] == "insufficient_quota"
    assert "erin" in run_inhouse("keys", "list", home=home).stdout


def test_usage_is_recorded_for_every_ending_and_audited(home, smollm2_path, tmp_path):
    key = create_key(home, "frank")
    audit = tmp_path / "audit.jsonl"
    server = Server("--audit-log", str(audit), home=home, model=smollm2_path, api_key=key, parallel=2)
    try:
        client = server.client()
        done = client.chat.completions.create(model=server.model, messages=[{"role": "user", "content": "Hi"}],
                                              max_tokens=8)
        # A client that leaves mid-stream: its tokens so far are still accounted.
        sock = socket.create_connection(("127.0.0.1", server.port))
        body = json.dumps({"model": server.model, "prompt": "Once upon a time", "max_tokens": 400, "stream": True,
                           "ignore_eos": True}).encode()
        sock.sendall(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     + f"Authorization: Bearer {key}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        received = b""
        while received.count(b"data:") < 5:
            received += sock.recv(4096)
        sock.close()
        # A refused request (bad parameter) is recorded too, with no tokens.
        assert server.request("POST", "/v1/completions", {"prompt": "x", "temperature": -1})[0] == 400
        deadline = time.time() + 30
        while len(usage_rows(home)) < 3 and time.time() < deadline:
            time.sleep(0.1)
    finally:
        assert server.stop() == 0
    rows = usage_rows(home)
    outcomes = [row[3] for row in rows]
    assert outcomes.count("completed") == 1 and "client_gone" in outcomes and "refused" in outcomes
    completed = rows[outcomes.index("completed")]
    assert completed[0] == "frank" and completed[2] == done.usage.completion_tokens
    gone = rows[outcomes.index("client_gone")]
    assert gone[2] >= 4 and gone[4] == 499
    report = json.loads(run_inhouse("usage", "--json", home=home).stdout)
    assert report[0]["key"] == "frank" and report[0]["requests"] == 3
    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    assert len(lines) >= 3
    for line in lines:
        assert set(line) >= {"time", "key", "model", "prompt_tokens", "completion_tokens", "status", "latency_ms",
                             "client"}
        assert "request" not in line and "output" not in line, "content is not logged unless asked for"
    assert any(line["status"] == 400 for line in lines)


def test_usage_survives_kill_9(home, smollm2_path):
    key = create_key(home, "grace")
    server = Server(home=home, model=smollm2_path, api_key=key, parallel=2)
    for _ in range(3):
        server.client().completions.create(model=server.model, prompt="Hello", max_tokens=3)
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=30)
    rows = usage_rows(home)
    assert len(rows) == 3 and all(row[3] == "completed" for row in rows)


def test_audit_content_is_logged_only_when_asked(home, smollm2_path, tmp_path):
    audit = tmp_path / "audit.jsonl"
    server = Server("--audit-log", str(audit), "--audit-content", home=home, model=smollm2_path, parallel=1)
    try:
        server.client().completions.create(model=server.model, prompt="The secret word is", max_tokens=3)
    finally:
        assert server.stop() == 0
    line = [json.loads(l) for l in audit.read_text().splitlines() if '"/v1/completions"' in l][-1]
    assert "The secret word is" in line["request"] and isinstance(line["output"], str)
    assert line["key"] is None


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1 and localhost, and its key."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


def test_tls_with_a_self_signed_certificate_and_the_openai_client(home, smollm2_path, certificate):
    cert, key_file = certificate
    api_key = create_key(home, "tls-user")
    server = Server("--tls-cert", str(cert), "--tls-key", str(key_file), home=home, model=smollm2_path,
                    api_key=api_key, parallel=2, tls_ca=str(cert))
    try:
        assert server.base.startswith("https://")
        client = server.client()
        reply = client.chat.completions.create(model=server.model, messages=[{"role": "user", "content": "Hi"}],
                                               max_tokens=8, temperature=0)
        streamed = "".join(chunk.choices[0].delta.content or "" for chunk in client.chat.completions.create(
            model=server.model, messages=[{"role": "user", "content": "Hi"}], max_tokens=8, temperature=0,
            stream=True) if chunk.choices)
        assert streamed == reply.choices[0].message.content
        # A client that does not trust the certificate refuses it; plain HTTP gets nowhere.
        untrusting = openai.OpenAI(base_url=server.base + "/v1", api_key=api_key, max_retries=0, timeout=30)
        with pytest.raises(openai.APIConnectionError):
            untrusting.models.list()
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as plain:
            plain.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = plain.recv(4096)
            assert not answer.startswith(b"HTTP/1.1 200")
        assert server.request("GET", "/health")[0] == 200, "still serving after the plain-text client"
    finally:
        assert server.stop() == 0


def test_tls_configuration_errors_are_named(home, smollm2_path, certificate, tmp_path):
    cert, key_file = certificate
    other_key = tmp_path / "other.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(other_key), "2048"], check=True, capture_output=True)
    result = run_inhouse("serve", "-m", smollm2_path, "--port", "0", "--tls-cert", str(cert), "--tls-key",
                         str(other_key), home=home, check=False, timeout=60)
    assert result.returncode == 1 and "TLS private key" in result.stderr and "mismatch" in result.stderr
    result = run_inhouse("serve", "-m", smollm2_path, "--port", "0", "--tls-cert", str(cert), home=home,
                         check=False, timeout=60)
    assert result.returncode == 1 and "--tls-key" in result.stderr


def open_stream(server, key, max_tokens=3000):
    """A raw streaming request that will not end by itself soon; returns the socket once the
    first events arrived."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    body = json.dumps({"model": server.model, "prompt": "Once upon a time", "max_tokens": max_tokens,
                       "stream": True, "ignore_eos": True}).encode()
    sock.sendall(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 + (f"Authorization: Bearer {key}\r\n" if key else "").encode()
                 + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    received = b""
    while received.count(b"data:") < 3:
        received += sock.recv(4096)
    return sock, received


def read_to_end(sock):
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def test_a_stream_past_the_shutdown_grace_period_ends_with_a_final_event_and_is_accounted(home, smollm2_path):
    key = create_key(home, "henry")
    server = Server("--shutdown-timeout", "1", home=home, model=smollm2_path, api_key=key, parallel=2)
    sock, received = open_stream(server, key)
    started = time.time()
    server.process.send_signal(signal.SIGTERM)
    received += read_to_end(sock)
    assert time.time() - started < 15
    assert received.rstrip().endswith(b"0"), "the chunked stream is terminated properly"
    events = [line for line in received.decode(errors="replace").splitlines() if line.startswith("data: ")]
    assert "shutting down" in events[-1] or "stopped" in events[-1], events[-1]
    assert server.process.wait(timeout=30) == 0
    rows = usage_rows(home)
    assert len(rows) == 1 and rows[0][3] == "shutdown" and rows[0][2] >= 3


def test_a_second_signal_exits_at_once(home, smollm2_path):
    server = Server("--shutdown-timeout", "60", home=home, model=smollm2_path, parallel=2)
    sock, _ = open_stream(server, None)
    server.process.send_signal(signal.SIGINT)
    time.sleep(0.5)
    started = time.time()
    server.process.send_signal(signal.SIGINT)
    server.process.wait(timeout=10)
    assert time.time() - started < 5
    sock.close()


def test_the_completion_time_limit_ends_a_request_as_length_and_records_it_stopped(home, smollm2_path):
    key = create_key(home, "ivy")
    server = Server("--completion-timeout", "1", home=home, model=smollm2_path, api_key=key, parallel=2)
    try:
        started = time.time()
        reply = server.client().completions.create(model=server.model, prompt="Once upon a time", max_tokens=1000,
                                                   extra_body={"ignore_eos": True})
        assert time.time() - started < 10
        assert reply.choices[0].finish_reason == "length"
        assert 0 < reply.usage.completion_tokens < 1000 - 4
    finally:
        assert server.stop() == 0
    rows = usage_rows(home)
    assert rows[-1][3] == "stopped" and rows[-1][2] == reply.usage.completion_tokens


def test_configured_limits_are_enforced(home, smollm2_path):
    server = Server("--max-tokens", "20", "--max-prompt-tokens", "50", "--max-n", "2", "--max-stop", "2",
                    "--max-logit-bias", "3", "--max-connections", "4", "--request-timeout", "2", home=home,
                    model=smollm2_path, parallel=2)
    try:
        client = server.client()
        capped = client.chat.completions.create(model=server.model, messages=[{"role": "user", "content": "Count"}],
                                                temperature=0, extra_body={"ignore_eos": True})
        assert capped.usage.completion_tokens == 20, "--max-tokens is also the default"
        for fields, param in (({"max_tokens": 21}, "max_tokens"), ({"n": 3}, "n"), ({"stop": ["a", "b", "c"]}, "stop"),
                              ({"logit_bias": {"1": 1, "2": 1, "3": 1, "4": 1}}, "logit_bias"),
                              ({"prompt": "word " * 60}, "prompt")):
            status, _, payload = server.request("POST", "/v1/completions", {"prompt": "hi", **fields})
            assert status == 400, (fields, payload)
            assert json.loads(payload)["error"]["param"] == param
        # A body that trickles in slower than the request timeout: the connection is closed.
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as slow:
            slow.sendall(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
            time.sleep(3)
            assert slow.recv(100) == b""
        # Connections beyond the limit get 503 and are closed; the others are still served.
        held = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(4)]
        time.sleep(0.3)
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as extra:
            answer = extra.recv(4096)
        assert answer.startswith(b"HTTP/1.1 503") and b"Retry-After" in answer
        for sock in held:
            sock.close()
        time.sleep(0.3)
        assert server.request("GET", "/health")[0] == 200
    finally:
        assert server.stop() == 0
