"""A small, fast HTTP/1.1 load client: keep-alive connections on asyncio streams, requests made up front.

The machine that runs the benchmark also runs the server, so the client must cost little: a
general-purpose client (httpx) spends more time per request than a bare endpoint does. This one
writes prepared bytes and reads a Content-Length body, which is all the servers here send.

Two ways to load a server:
- `closed_loop`: `concurrency` connections each send the next request as soon as the last is
  answered, for `seconds`: the most the server does (requests per second), and latency under it;
- `fixed_rate`: requests start on a fixed schedule (`rate` per second), whether or not earlier
  ones were answered; latency counts from the scheduled start, so a slow server cannot hide its
  queue (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Reply:
    status: int
    body: bytes


@dataclass
class Result:
    """What a run measured: latencies in seconds of the requests answered, and the statuses seen."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0  # connections that failed (refused, reset)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in milliseconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank] * 1000

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.latencies) * 1000 if self.latencies else float("nan")

    def add(self, reply: Reply, started: float, ended: float) -> None:
        self.latencies.append(ended - started)
        self.statuses[reply.status] = self.statuses.get(reply.status, 0) + 1


class Connection:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def send(self, request: bytes) -> Reply:
        if self.writer is None:
            await self.open()
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = 0
        close = False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value.strip())
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        body = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return Reply(status, body)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def request(method: str, path: str, host: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    """The bytes of one HTTP/1.1 request."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


# A "job" makes the next request and handles its reply: `make()` returns the request's bytes and a
# callback that receives the reply (to track versions, say). Jobs run one at a time per connection.
Job = Callable[[], tuple[bytes, Callable[[Reply], None]]]


async def closed_loop(host: str, port: int, jobs: list[Job], seconds: float, warmup: float = 1.0) -> Result:
    """Each job gets its own connection and sends back to back; measured after `warmup` seconds."""
    result = Result(seconds)
    start = time.perf_counter()
    measure_from = start + warmup
    stop = measure_from + seconds

    async def worker(job: Job) -> None:
        conn = Connection(host, port)
        while time.perf_counter() < stop:
            data, handle = job()
            began = time.perf_counter()
            try:
                reply = await conn.send(data)
            except (OSError, asyncio.IncompleteReadError):
                result.errors += 1
                conn.close()
                await asyncio.sleep(0.05)
                continue
            ended = time.perf_counter()
            handle(reply)
            if began >= measure_from and ended <= stop:
                result.add(reply, began, ended)
        conn.close()

    await asyncio.gather(*(worker(j) for j in jobs))
    return result


async def fixed_rate(
    host: str,
    port: int,
    next_job: Callable[[], tuple[bytes, Callable[[Reply], None], Callable[[], None]]],
    rate: float,
    seconds: float,
    connections: int = 32,
    warmup: float = 1.0,
) -> Result:
    """Start `rate` requests a second for `warmup + seconds`; latency from each request's scheduled start.

    `next_job()` returns (request bytes, reply handler, release) and may wait for nothing: when it
    has no free subject (every person's save in flight), the request waits, and that wait counts.
    """
    result = Result(seconds)
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(Connection(host, port))
    start = time.perf_counter()
    measure_from = start + warmup
    total = int((warmup + seconds) * rate)
    tasks = []

    async def one(scheduled: float) -> None:
        conn = await pool.get()
        data, handle, release = next_job()
        try:
            reply = await conn.send(data)
        except (OSError, asyncio.IncompleteReadError):
            result.errors += 1
            conn.close()
            release()
            pool.put_nowait(conn)
            return
        ended = time.perf_counter()
        handle(reply)
        release()
        pool.put_nowait(conn)
        if scheduled >= measure_from:
            result.add(reply, scheduled, ended)

    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(scheduled)))
    await asyncio.gather(*tasks)
    while not pool.empty():
        pool.get_nowait().close()
    return result
