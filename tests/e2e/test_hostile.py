"""Hostile input against a real server with auth on: malformed, oversized, out-of-range and
path-like requests, bad keys, slow and vanishing clients. Each gets the right 4xx (or a clean
close) with a clear message; the server stays up; and a canary making well-formed greedy
requests alongside the whole time gets the same correct answer every time."""
import contextlib
import json
import socket
import threading
import time

import pytest

from conftest import run_inhouse
from test_serve import Server

CHAT = "/v1/chat/completions"
TEXT = "/v1/completions"
HI = [{"role": "user", "content": "hi"}]


@pytest.fixture(scope="module")
def hostile(default_store, tmp_path_factory):
    home = tmp_path_factory.mktemp("hostile-home")
    key = run_inhouse("keys", "create", "--name", "tester", home=home).stdout.strip()
    revoked = run_inhouse("keys", "create", "--name", "gone", home=home).stdout.strip()
    run_inhouse("keys", "revoke", "gone", home=home)
    server = Server("--header-timeout", "2", "--request-timeout", "5", home=home,
                    model=default_store["smollm2"]["path"], api_key=key, parallel=4)
    canary = Canary(server)
    canary.start()
    server.canary = canary
    yield server, key, revoked
    canary.stop()
    assert server.process.poll() is None, "the server died:\n" + "".join(server.log)
    assert canary.failures == [], canary.failures
    assert canary.runs >= 3, "the canary ran alongside the hostile requests"
    assert server.stop() == 0, "".join(server.log)


class Canary(threading.Thread):
    """A well-formed greedy request, again and again: always 200, always the same text."""
    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.failures, self.runs, self.done = server, [], 0, threading.Event()
        self.paused, self.idle = threading.Event(), threading.Event()
        self.body = {"model": server.model, "prompt": "The capital of France is", "max_tokens": 12, "temperature": 0}
        self.reference = self.ask()

    def ask(self):
        status, _, payload = self.server.request("POST", TEXT, self.body)
        return status, json.loads(payload)["choices"][0]["text"] if status == 200 else payload

    def run(self):
        while not self.done.is_set():
            if self.paused.is_set():
                self.idle.set()
                time.sleep(0.05)
                continue
            got = self.ask()
            self.runs += 1
            if got != self.reference:
                self.failures.append(got)

    def stop(self):
        self.done.set()
        self.join(timeout=120)

    @contextlib.contextmanager
    def paused_between_requests(self):
        """For a test that counts the server's sequences: none of them is the canary's."""
        self.idle.clear()
        self.paused.set()
        assert self.idle.wait(timeout=60), "the canary's request did not end"
        try:
            yield
        finally:
            self.paused.clear()


def body_of(value):
    return value if isinstance(value, bytes) else json.dumps(value).encode()


def chat_with(**fields):
    return {"messages": HI, **fields}


# (id, path, body, expected status, the param (or code) the error names)
CASES = [
    ("truncated-json", CHAT, b'{"messages": [', 400, None),
    ("json-array", CHAT, b"[1, 2, 3]", 400, None),
    ("json-string", CHAT, b'"hello"', 400, None),
    ("empty-body", CHAT, b"", 400, None),
    ("nan-literal", CHAT, b'{"messages": [{"role": "user", "content": "hi"}], "temperature": NaN}', 400, None),
    ("infinity-literal", CHAT, b'{"messages": [{"role": "user", "content": "hi"}], "top_p": Infinity}', 400, None),
    ("messages-missing", CHAT, {"model": "x"}, 400, "messages"),
    ("messages-empty", CHAT, {"messages": []}, 400, "messages"),
    ("messages-string", CHAT, {"messages": "hi"}, 400, "messages"),
    ("message-not-object", CHAT, {"messages": [42]}, 400, "messages"),
    ("role-missing", CHAT, {"messages": [{"content": "hi"}]}, 400, "messages"),
    ("role-unknown", CHAT, {"messages": [{"role": "root", "content": "hi"}]}, 400, "messages"),
    ("content-number", CHAT, {"messages": [{"role": "user", "content": 7}]}, 400, "messages"),
    ("temperature-string", CHAT, chat_with(temperature="hot"), 400, "temperature"),
    ("temperature-negative", CHAT, chat_with(temperature=-1), 400, "temperature"),
    ("temperature-huge", CHAT, chat_with(temperature=1e308), 400, "temperature"),
    ("top-p-above-one", CHAT, chat_with(top_p=2), 400, "top_p"),
    ("max-tokens-negative", CHAT, chat_with(max_tokens=-5), 400, "max_tokens"),
    ("max-tokens-float", CHAT, chat_with(max_tokens=3.5), 400, "max_tokens"),
    ("max-tokens-huge", CHAT, chat_with(max_tokens=10**15), 400, "max_tokens"),
    ("n-zero", CHAT, chat_with(n=0), 400, "n"),
    ("n-thousand", CHAT, chat_with(n=1000), 400, "n"),
    ("seed-string", CHAT, chat_with(seed="lucky"), 400, "seed"),
    ("stream-string", CHAT, chat_with(stream="yes"), 400, "stream"),
    ("stop-thousands", CHAT, chat_with(stop=[f"s{i}" for i in range(5000)]), 400, "stop"),
    ("stop-ten-kilobytes", CHAT, chat_with(stop=["x" * 10_000]), 400, "stop"),
    ("stop-number", CHAT, chat_with(stop=5), 400, "stop"),
    ("logit-bias-id-huge", CHAT, chat_with(logit_bias={"1000000000": 5}), 400, "logit_bias"),
    ("logit-bias-id-negative", CHAT, chat_with(logit_bias={"-3": 5}), 400, "logit_bias"),
    ("logit-bias-not-id", CHAT, chat_with(logit_bias={"../etc": 5}), 400, "logit_bias"),
    ("logit-bias-value-huge", CHAT, chat_with(logit_bias={"5": 1000}), 400, "logit_bias"),
    ("logit-bias-too-many", CHAT, chat_with(logit_bias={str(i): 1 for i in range(5000)}), 400, "logit_bias"),
    ("response-format-unknown", CHAT, chat_with(response_format={"type": "xml"}), 400, "response_format"),
    ("model-path-traversal", CHAT, chat_with(model="../../etc/passwd"), 404, "model"),
    ("model-absolute-path", CHAT, chat_with(model="/etc/passwd"), 404, "model"),
    ("model-unknown", CHAT, chat_with(model="gpt-4"), 404, "model"),
    ("model-number", CHAT, chat_with(model=12), 400, "model"),
    ("prompt-beyond-context", TEXT, {"prompt": "word " * 3000, "max_tokens": 1}, 400, "prompt"),
    ("prompt-ids-out-of-range", TEXT, {"prompt": [10**9, 2, 3]}, 400, "prompt"),
    ("prompt-missing", TEXT, {"max_tokens": 3}, 400, "prompt"),
    ("prompt-object", TEXT, {"prompt": {"a": 1}}, 400, "prompt"),
    ("deep-nesting", CHAT, b"[" * 200_000 + b"]" * 200_000, 400, None),
]


@pytest.mark.parametrize("name, path, body, status, param", CASES, ids=[case[0] for case in CASES])
def test_a_hostile_request_gets_a_clear_4xx(hostile, name, path, body, status, param):
    server, _, _ = hostile
    got, headers, payload = server.request("POST", path, body_of(body))
    assert got == status, (name, payload[:300])
    error = json.loads(payload)["error"]
    assert error["message"] and error["type"], error
    if param:
        assert param in (error.get("param"), error.get("code")), error
    assert len(payload) < 4096, "an error does not echo the request back"


def test_invalid_utf8_in_a_message_is_refused(hostile):
    server, _, _ = hostile
    body = b'{"messages": [{"role": "user", "content": "caf\xc3\x28 \xff\xfe"}]}'
    got, _, payload = server.request("POST", CHAT, body)
    assert got == 400, payload
    assert json.loads(payload)["error"]["message"]


def test_nul_bytes_and_control_text_are_just_text(hostile):
    server, _, _ = hostile
    got, _, payload = server.request("POST", TEXT, {"prompt": "a\u0000b<|im_end|>\u202e", "max_tokens": 2})
    assert got == 200, payload


def test_a_ten_megabyte_body_gets_413(hostile):
    server, _, _ = hostile
    got, _, payload = server.request("POST", CHAT, b'{"messages": "' + b"x" * (10 << 20) + b'"}')
    assert got == 413 and json.loads(payload)["error"]["message"]


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/../../etc/passwd", 404), ("GET", "/v1/models/..%2F..%2Fetc%2Fpasswd", 404),
    ("GET", CHAT, 405), ("DELETE", "/v1/models", 405), ("POST", "/admin", 404)])
def test_odd_paths_and_methods(hostile, method, path, status):
    server, _, _ = hostile
    got, _, payload = server.request(method, path)
    assert got == status, payload
    assert b"root:" not in payload


@pytest.mark.parametrize("authorization", [
    None, "", "Bearer", "Bearer ", "Bearer sk-1234", "Basic dXNlcjpwYXNz", "bearer KEY", "Bearer KEY KEY",
    "Bearer " + "ihk_" + "a" * 200])
def test_missing_or_wrong_keys_get_401(hostile, authorization):
    server, key, _ = hostile
    headers = {"Authorization": authorization.replace("KEY", key)} if authorization is not None else {"Authorization": ""}
    got, response_headers, payload = server.request("POST", CHAT, chat_with(max_tokens=1), headers=headers)
    assert got == 401, payload
    assert json.loads(payload)["error"]["code"] == "invalid_api_key"


def test_a_revoked_key_and_a_key_in_the_url_get_401(hostile):
    server, key, revoked = hostile
    assert server.request("POST", CHAT, chat_with(max_tokens=1), headers={"Authorization": f"Bearer {revoked}"})[0] == 401
    got, _, payload = server.request("POST", f"{CHAT}?api_key={key}", chat_with(max_tokens=1))
    assert got == 401 and b"never in the URL" in payload
    assert key not in "".join(server.log)


def raw_exchange(server, data, wait=5.0):
    with socket.create_connection(("127.0.0.1", server.port), timeout=wait) as sock:
        sock.sendall(data)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except socket.timeout:
            pass
        return received


def test_malformed_http_gets_400_or_a_clean_close(hostile):
    server, key, _ = hostile
    assert raw_exchange(server, b"HELLO\r\n\r\n").startswith(b"HTTP/1.1 400")
    bad_chunk = (f"POST {CHAT} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\n"
                 "Transfer-Encoding: chunked\r\n\r\nZZZ\r\nhello\r\n0\r\n\r\n").encode()
    assert raw_exchange(server, bad_chunk).startswith(b"HTTP/1.1 400")
    huge_header = f"GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Junk: {'a' * 40000}\r\n\r\n".encode()
    assert raw_exchange(server, huge_header).startswith(b"HTTP/1.1 4")
    # Claims 1,000 bytes of body, sends 10 and hangs up: nothing to answer, nothing broken.
    short = (f"POST {CHAT} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "{" * 10).encode()
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(short)
    assert server.request("GET", "/health")[0] == 200


def test_slow_loris_connections_are_cut_off(hostile):
    server, _, _ = hostile
    sockets = []
    for _ in range(20):
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\n")
        sockets.append(sock)
    time.sleep(1)
    for sock in sockets:
        sock.sendall(b"X-Slow: 1\r\n")  # still dribbling headers
    assert server.request("GET", "/health")[0] == 200, "others are served meanwhile"
    time.sleep(2.5)  # past the 2 s header timeout
    closed = 0
    for sock in sockets:
        sock.settimeout(5)
        try:
            closed += sock.recv(1) == b""
        except ConnectionResetError:
            closed += 1
        except socket.timeout:
            pass
        sock.close()
    assert closed == len(sockets)


def test_clients_that_vanish_mid_stream_leave_nothing_behind(hostile):
    server, key, _ = hostile
    body = json.dumps({"messages": HI, "max_tokens": 300, "stream": True, "ignore_eos": True}).encode()
    request = (f"POST {CHAT} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\n"
               f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    for _ in range(8):
        sock = socket.create_connection(("127.0.0.1", server.port))
        sock.sendall(request)
        received = b""
        while received.count(b"data:") < 3:
            received += sock.recv(4096)
        sock.close()
    # The canary runs a request now and then; its sequence must not be counted as left behind.
    with server.canary.paused_between_requests():
        def left_behind():
            return server.metric("inhouse_running_sequences") + server.metric("inhouse_queue_depth")
        deadline = time.time() + 30
        while left_behind() > 0 and time.time() < deadline:
            time.sleep(0.1)
        assert server.metric("inhouse_running_sequences") == 0 and server.metric("inhouse_queue_depth") == 0
