"""A reply is read within bounds, over a real socket: a server that trickles a byte at a
time cannot hold a call for ever, and a small gzip reply that expands to a gigabyte is
refused at the limit, long before it is expanded."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from connectors.http import HttpClient, RequestSpec, RetryPolicy
from connectors.http.bounded import ReplyDeadlineError, ReplyTooLargeError
from connectors.http.request import Timeouts

BOMB = gzip.compress(b"\0" * (256 * 2**20), compresslevel=9)  # 256 MiB of zeros, ~250 KiB


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        if self.path == "/trickle":
            body = b'{"data": []}' + b" " * 88
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for byte in body:
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)
        elif self.path == "/bomb":
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(BOMB)))
            self.end_headers()
            self.wfile.write(BOMB)
        else:
            body = b'{"ok": true}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _client(server: str, **timeouts: float) -> HttpClient:
    return HttpClient(
        base_url=server,
        timeouts=Timeouts(**timeouts),  # type: ignore[arg-type]
        retry=RetryPolicy(sleep=lambda _: None, max_attempts=3),
    )


def test_a_normal_reply_is_read_whole(server: str) -> None:
    response = _client(server).send(RequestSpec("GET", "/ok"))
    assert response.json() == {"ok": True}


def test_a_trickling_server_cannot_hold_a_call_past_its_deadline(server: str) -> None:
    # Every byte arrives well within the read timeout; the reply as a whole does not.
    client = _client(server, read=5.0, reply=0.5, call=30.0)
    started = time.monotonic()
    with pytest.raises(ReplyDeadlineError, match=r"took longer than 0\.5 s in all"):
        client.send(RequestSpec("GET", "/trickle"))
    # Three attempts (a read is idempotent) of about half a second each, not 100 x 0.2 s each.
    assert time.monotonic() - started < 6
    assert client.calls_made == 3


def test_one_call_with_its_retries_is_bounded_too(server: str) -> None:
    client = _client(server, read=5.0, reply=0.5, call=0.8)
    with pytest.raises(requests.Timeout):
        client.send(RequestSpec("GET", "/trickle"))
    # The first attempt used 0.5 s; waiting to retry would pass the call's 0.8 s: no retry.
    assert client.calls_made == 1


def test_a_compression_bomb_is_refused_at_the_limit(server: str) -> None:
    client = _client(server, max_reply_bytes=8 * 2**20)
    with pytest.raises(ReplyTooLargeError, match="larger than the 8 MiB a reply may be"):
        client.send(RequestSpec("GET", "/bomb"))
