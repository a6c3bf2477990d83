"""A small closed-loop load generator: N processes, each one keep-alive connection, POSTing JSON.

With ``keepalive=False`` every request opens a new TCP connection and asks the
server to close it (``Connection: close``), as a client that does not reuse
connections would (the conditions under which the issue quotes its floor).

Each process sends requests back to back for ``seconds`` (and at most
``max_requests``), timing each one with ``perf_counter``. A server that closes
the connection (a sync worker) is reconnected transparently by ``http.client``.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    ok: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _client(args) -> tuple[int, int, list[float], float]:
    port, path, headers, body, seconds, max_requests, start_at, tag, keepalive = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    if not keepalive:
        headers = {**headers, "Connection": "close"}
    latencies: list[float] = []
    ok = errors = 0
    while time.time() < start_at:
        time.sleep(0.001)
    end = start_at + seconds
    i = 0
    while time.time() < end and i < max_requests:
        i += 1
        payload = json.dumps({**body, "title": f"{body.get('title', '')} {tag}-{i}"}).encode()
        request_headers = {**headers, "Idempotency-Key": f"{tag}-{os.getpid()}-{i}"}
        t0 = time.perf_counter()
        try:
            conn.request("POST", path, payload, request_headers)
            response = conn.getresponse()
            response.read()
            if not keepalive:
                conn.close()
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            continue
        latencies.append((time.perf_counter() - t0) * 1000)
        if response.status in (200, 201, 202):
            ok += 1
        else:
            errors += 1
    finished = time.time()
    conn.close()
    return ok, errors, latencies, finished


def run(
    *,
    port: int,
    path: str,
    body: dict,
    headers: dict | None = None,
    clients: int,
    seconds: float,
    max_requests: int = 20000,
    tag: str = "run",
    keepalive: bool = True,
) -> Result:
    headers = {"Content-Type": "application/json", **(headers or {})}
    start_at = time.time() + 0.5  # every process starts at once
    jobs = [
        (port, path, headers, body, seconds, max_requests, start_at, f"{tag}{n}", keepalive)
        for n in range(clients)
    ]
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        parts = pool.map(_client, jobs)
    ok = sum(p[0] for p in parts)
    errors = sum(p[1] for p in parts)
    latencies = [ms for p in parts for ms in p[2]]
    elapsed = max(p[3] for p in parts) - start_at
    return Result(ok=ok, errors=errors, seconds=elapsed, latencies_ms=latencies)
