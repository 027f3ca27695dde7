"""`inhouse serve` on the real SmolLM2, driven by the official `openai` client (and raw HTTP
where the client would hide what is under test: statuses, headers, disconnects)."""
import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.request

import httpx
import openai
import pytest

from conftest import _binary

MODEL = "smollm2"


def isolated_home():
    """An INHOUSE_HOME that sees the default store's models but has its own keys and usage, so
    that keys a developer created never turn auth on under these tests."""
    default = os.environ.get("INHOUSE_HOME") or os.path.expanduser("~/.inhouse")
    home = tempfile.mkdtemp(prefix="inhouse-e2e-home-")
    for shared in ("models", "manifests"):
        os.symlink(os.path.join(default, shared), os.path.join(home, shared))
    return home


class Server:
    """`home`: an INHOUSE_HOME of its own (keys, usage); `model`: a store name or .gguf path;
    `api_key`: sent by request() and client() unless they are given other headers."""
    def __init__(self, *extra, parallel=16, home=None, model=MODEL, api_key=None, tls_ca=None):
        self.tls_ca = tls_ca
        if home is None:
            home = isolated_home()
        env = dict(os.environ, INHOUSE_HOME=str(home))
        self.api_key = api_key
        self.model = model if not model.endswith(".gguf") else os.path.basename(model)[:-len(".gguf")]
        self.process = subprocess.Popen(
            [_binary(), "serve", "-m", model, "--port", "0", "-c", "1024", "--parallel", str(parallel), *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        self.log = []
        deadline = time.time() + 120
        self.port = None
        while time.time() < deadline and self.port is None:
            line = self.process.stderr.readline()
            if not line:
                break
            self.log.append(line)
            match = re.search(r"https?://[\d.]+:(\d+)", line)
            if match:
                self.port = int(match.group(1))
        if self.port is None:
            self.process.kill()
            pytest.fail("server did not start:\n" + "".join(self.log))
        # Keep draining stderr so the server never blocks on a full pipe.
        threading.Thread(target=lambda: [self.log.append(l) for l in self.process.stderr], daemon=True).start()
        self.base = f"{'https' if tls_ca else 'http'}://127.0.0.1:{self.port}"
        # It listens before the model is loaded: /health at once, /ready once loaded.
        assert self.request("GET", "/health")[0] == 200
        while self.request("GET", "/ready")[0] != 200:
            if time.time() > deadline or self.process.poll() is not None:
                self.process.kill()
                pytest.fail("server never became ready:\n" + "".join(self.log))
            time.sleep(0.05)

    def client(self, api_key=None):
        http_client = (httpx.Client(verify=ssl.create_default_context(cafile=self.tls_ca), timeout=300)
                       if self.tls_ca else None)
        return openai.OpenAI(base_url=self.base + "/v1", api_key=api_key or self.api_key or "unused", max_retries=0,
                             timeout=300, http_client=http_client)

    def request(self, method, path, body=None, headers=None):
        if self.tls_ca:
            context = ssl.create_default_context(cafile=self.tls_ca)
            connection = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=300, context=context)
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json"}
        if self.api_key:
            all_headers["Authorization"] = f"Bearer {self.api_key}"
        all_headers.update(headers or {})
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), payload

    def metric(self, name):
        _, _, text = self.request("GET", "/metrics")
        for line in text.decode().splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                return float(line.rsplit(" ", 1)[1])
        raise AssertionError(f"metric {name} missing:\n{text.decode()}")

    def stop(self):
        self.process.terminate()
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


@pytest.fixture(scope="module")
def server(default_store):
    s = Server()
    yield s
    assert s.stop() == 0, "".join(s.log)


def chat(client, content, **kw):
    return client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": content}], **kw)


def test_health_ready_and_models(server):
    assert server.request("GET", "/health")[0] == 200
    assert server.request("GET", "/ready")[0] == 200
    models = server.client().models.list()
    assert [m.id for m in models.data] == [MODEL]
    # The startup log says what the context costs: the KV cache's size and element type.
    assert any("KV cache" in line and "(f16)" in line and "MiB" in line for line in server.log), "".join(server.log)


def test_chat_completion_reports_usage_and_length(server):
    response = chat(server.client(), "What is the capital of France?", max_tokens=5, temperature=0)
    choice = response.choices[0]
    assert choice.finish_reason == "length"
    assert choice.message.role == "assistant" and choice.message.content
    assert response.usage.completion_tokens == 5
    assert response.usage.prompt_tokens > 5
    assert response.usage.total_tokens == response.usage.prompt_tokens + 5


def test_streaming_gives_the_same_text_as_a_plain_response(server):
    client = server.client()
    plain = chat(client, "Name three fruits.", max_tokens=8, temperature=0).choices[0].message.content
    chunks = list(chat(client, "Name three fruits.", max_tokens=8, temperature=0, stream=True,
                       stream_options={"include_usage": True}))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == plain
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["length"]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 8


def test_completions_endpoint_continues_a_prompt(server):
    response = server.client().completions.create(model=MODEL, prompt="The capital of France is", max_tokens=3,
                                                  temperature=0)
    assert response.choices[0].text.startswith(" Paris")
    assert response.usage.completion_tokens == 3


def test_n_choices_and_seed_reproducibility(server):
    client = server.client()
    first = chat(client, "Tell me a story.", max_tokens=16, temperature=1.0, seed=7, n=2)
    second = chat(client, "Tell me a story.", max_tokens=16, temperature=1.0, seed=7, n=2)
    assert [c.index for c in first.choices] == [0, 1]
    assert [c.message.content for c in first.choices] == [c.message.content for c in second.choices]
    assert first.usage.completion_tokens == 32


def test_a_stop_string_ends_the_text_before_it(server):
    response = server.client().completions.create(model=MODEL, prompt="1, 2, 3, 4,", max_tokens=20, temperature=0,
                                                  stop=[" 7"])
    assert response.choices[0].finish_reason == "stop"
    assert " 7" not in response.choices[0].text and "6" in response.choices[0].text


def test_logprobs(server):
    response = chat(server.client(), "Say yes.", max_tokens=3, temperature=0, logprobs=True, top_logprobs=3)
    content = response.choices[0].logprobs.content
    assert len(content) == 3
    for entry in content:
        assert entry.logprob <= 0
        assert len(entry.top_logprobs) == 3
        # Greedy: the chosen token is the most likely one.
        assert entry.top_logprobs[0].logprob == pytest.approx(entry.logprob, abs=1e-5)


@pytest.mark.parametrize("body, status, param", [
    ({"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "temperature": 5}, 400, "temperature"),
    ({"model": MODEL, "messages": "hi"}, 400, "messages"),
    ({"model": MODEL, "messages": [{"role": "wizard", "content": "hi"}]}, 400, "messages"),
    ({"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "max_tokens": -1}, 400, "max_tokens"),
    ({"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "n": 0}, 400, "n"),
    ({"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "logit_bias": {"x": 1}}, 400, "logit_bias"),
    ({"model": "gpt-4", "messages": [{"role": "user", "content": "hi"}]}, 404, "model"),
])
def test_invalid_requests_get_openai_shaped_errors(server, body, status, param):
    got, _, payload = server.request("POST", "/v1/chat/completions", body)
    assert got == status, payload
    error = json.loads(payload)["error"]
    assert error["message"] and error["type"]
    assert error["param"] == param


def test_transport_level_errors(server):
    assert server.request("GET", "/v2/nothing")[0] == 404
    assert server.request("GET", "/v1/chat/completions")[0] == 405
    assert server.request("POST", "/v1/chat/completions", b"{not json")[0] == 400
    big = json.dumps({"model": MODEL, "prompt": "x" * (2 << 20)}).encode()
    assert server.request("POST", "/v1/completions", big)[0] == 413
    # Unknown fields are ignored, as OpenAI does.
    status, _, _ = server.request("POST", "/v1/chat/completions",
                                  {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1,
                                   "some_future_field": {"x": 1}})
    assert status == 200


def test_sixteen_concurrent_streams_all_complete(server):
    client = server.client()
    results = [None] * 16

    def one(i):
        stream = chat(client, f"Count to {i + 3}.", max_tokens=12, temperature=0, stream=True)
        parts = []
        finish = None
        for chunk in stream:
            if chunk.choices:
                parts.append(chunk.choices[0].delta.content or "")
                finish = chunk.choices[0].finish_reason or finish
        results[i] = ("".join(parts), finish)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert all(r is not None and r[0] and r[1] in ("length", "stop") for r in results), results
    # Batching does not change results: a request alone gives what it gave among 15 others.
    alone = chat(client, "Count to 5.", max_tokens=12, temperature=0).choices[0].message.content
    assert alone == results[2][0]


def test_a_client_that_disconnects_mid_stream_frees_its_blocks(server):
    body = json.dumps({"model": MODEL, "stream": True, "max_tokens": 900, "temperature": 0,
                       "messages": [{"role": "user", "content": "Write a very long essay about rivers."}]})
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall((f"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(body)}\r\n\r\n{body}").encode())
    received = b""
    while received.count(b"data:") < 5:
        received += sock.recv(4096)
    assert server.metric("inhouse_running_sequences") >= 1
    sock.close()
    deadline = time.time() + 30
    while time.time() < deadline and (server.metric("inhouse_running_sequences") > 0
                                      or server.metric("inhouse_kv_cache_blocks_used") > 0):
        time.sleep(0.1)
    assert server.metric("inhouse_running_sequences") == 0
    assert server.metric("inhouse_kv_cache_blocks_used") == 0


def test_json_mode_output_always_parses(server):
    # At temperature 0.8 a 135M model may ramble past max_tokens inside the object: that is
    # finish_reason "length" (as with OpenAI, the text is then cut). Every object it closes
    # must parse, and most seeds close one.
    closed = 0
    for seed in (1, 2, 3, 4, 5):
        response = chat(server.client(), "Give me a JSON object describing a cat, with its name and age.",
                        max_tokens=600, temperature=0.8, seed=seed, response_format={"type": "json_object"})
        choice = response.choices[0]
        if choice.finish_reason == "length":
            assert response.usage.completion_tokens == 600
            assert choice.message.content.lstrip().startswith("{")
            continue
        assert choice.finish_reason == "stop", choice.message.content
        assert isinstance(json.loads(choice.message.content), dict)
        closed += 1
    assert closed >= 3


def test_a_full_queue_answers_429_with_retry_after(default_store):
    busy = Server("--max-queue", "1", parallel=1)
    try:
        def long_stream():
            return busy.request("POST", "/v1/completions", {"model": MODEL, "prompt": "Once upon a time",
                                                            "max_tokens": 400, "ignore_eos": True})
        running = threading.Thread(target=long_stream)
        queued = threading.Thread(target=long_stream)
        running.start()
        deadline = time.time() + 30
        while busy.metric("inhouse_running_sequences") < 1 and time.time() < deadline:
            time.sleep(0.05)
        queued.start()
        while busy.metric("inhouse_queue_depth") < 1 and time.time() < deadline:
            time.sleep(0.05)
        status, headers, payload = busy.request("POST", "/v1/completions", {"model": MODEL, "prompt": "hi"})
        assert status == 429, payload
        assert headers.get("Retry-After") == "1"
        assert json.loads(payload)["error"]["type"]
    finally:
        assert busy.stop() == 0
        running.join(timeout=120)
        queued.join(timeout=120)


def test_shutting_down_answers_503_and_finishes_what_is_in_flight(default_store):
    draining = Server(parallel=2)
    # New connections are refused once the drain begins; connections already open get answers.
    polling = http.client.HTTPConnection("127.0.0.1", draining.port, timeout=60)
    asking = http.client.HTTPConnection("127.0.0.1", draining.port, timeout=60)
    for connection in (polling, asking):
        connection.request("GET", "/health")
        response = connection.getresponse()
        response.read()
        assert response.status == 200
    finished = {}

    def long_request():
        finished["response"] = draining.request("POST", "/v1/completions", {
            "model": MODEL, "prompt": "Once upon a time", "max_tokens": 300, "ignore_eos": True})
    running = threading.Thread(target=long_request)
    running.start()
    try:
        deadline = time.time() + 30
        while draining.metric("inhouse_running_sequences") < 1 and time.time() < deadline:
            time.sleep(0.02)
        draining.process.send_signal(signal.SIGTERM)
        while True:
            polling.request("GET", "/ready")
            response = polling.getresponse()
            response.read()
            if response.status == 503 or time.time() > deadline:
                break
            time.sleep(0.02)
        assert response.status == 503
        asking.request("POST", "/v1/completions", body=json.dumps({"model": MODEL, "prompt": "hi"}),
                       headers={"Content-Type": "application/json"})
        response = asking.getresponse()
        error = json.loads(response.read())["error"]
        assert response.status == 503
        assert "shutting down" in error["message"] and error["type"]
        running.join(timeout=120)
        status, _, payload = finished["response"]
        assert status == 200, payload
        assert json.loads(payload)["usage"]["completion_tokens"] == 300
        assert draining.process.wait(timeout=60) == 0
    except Exception as failure:
        raise AssertionError(f"server exit code {draining.process.poll()}, its log:\n" + "".join(draining.log)) from failure
    finally:
        if draining.process.poll() is None:
            draining.process.kill()
        running.join(timeout=120)
