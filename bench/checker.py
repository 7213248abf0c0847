"""The resource checker's figure: 150,000 resources (the 50,000-dataset catalog's three
per dataset) checked against loopback servers that answer in 50 ms, spread over 20 host
names, at most 4 connections per host.

    .venv/ckan-2.11.6/bin/python bench/checker.py [--resources 150000] [--hosts 20]

The servers run in a process of their own (asyncio, one listener per host on
127.0.0.2 … 127.0.0.21); each counts the connections it has open at once and reports its
maximum. The host names (``data-01.bench.example`` …) reach their addresses through the
checker's resolver seam and are allow-listed, as an operator would allow an intranet host.
The checker is the production code (``quality.checker``: the shared outbound guard, the
per-host limiter, format, encoding and tabular checks); the results are counted, not
stored (storing is one upsert per resource in the worker's transaction). Prints the
figures, then one TARGET line per target.
"""
from __future__ import annotations

import argparse
import asyncio
import io
import json
import multiprocessing
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ckanext.mofcompliance import outbound  # noqa: E402
from ckanext.mofcompliance.quality.checker import Settings, checked  # noqa: E402

FORMATS = [("CSV", "csv"), ("XLSX", "xlsx"), ("JSON", "json"), ("PDF", "pdf"), ("API", "api")]


def _xlsx() -> bytes:
    import openpyxl
    workbook = openpyxl.Workbook()
    for row in range(30):
        workbook.active.append([2566, "ภาคกลาง %d" % row, row * 1234.5])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def bodies() -> dict[str, tuple[str, bytes]]:
    rows = "".join("2566,ภาคกลาง %d,%d.25\n" % (i, i * 1000) for i in range(30))
    return {
        "csv": ("text/csv; charset=utf-8", ("ปีงบประมาณ,ภาค,จำนวนเงิน\n" + rows).encode()),
        "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx()),
        "json": ("application/json", json.dumps(
            [{"year": 2566, "amount": i * 10} for i in range(30)]).encode()),
        "api": ("application/json", b'{"success": true, "result": {"count": 30}}'),
        "pdf": ("application/pdf", b"%PDF-1.7\n" + b"0" * 4000 + b"\n%%EOF\n"),
        "html": ("text/html", b"<!DOCTYPE html><html><body>Session expired</body></html>"),
    }


# ---------------------------------------------------------------- the servers

async def _serve(addresses: list[str], delay: float, ports: list, done: asyncio.Event,
                 stats: dict) -> None:
    content = bodies()

    def answer(path: str) -> bytes:
        if path.endswith("/missing"):
            status, ctype, body = "404 Not Found", "text/html", b"<html>not found</html>"
        else:
            ctype, body = content[path.rsplit(".", 1)[-1]] if "." in path else content["html"]
            status = "200 OK"
        head = "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close" \
               "\r\n\r\n" % (status, ctype, len(body))
        return head.encode() + body

    def handler(index: int):
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            stats["open"][index] += 1
            stats["max"][index] = max(stats["max"][index], stats["open"][index])
            try:
                request = await reader.readuntil(b"\r\n\r\n")
                await asyncio.sleep(delay)
                writer.write(answer(request.split(b" ", 2)[1].decode()))
                await writer.drain()
                stats["requests"][index] += 1
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
            finally:
                writer.close()
                try:
                    await writer.wait_closed()
                except ConnectionError:
                    pass
                stats["open"][index] -= 1
        return handle

    servers = [await asyncio.start_server(handler(i), address, 0, backlog=256)
               for i, address in enumerate(addresses)]
    ports.extend(s.sockets[0].getsockname()[1] for s in servers)
    await done.wait()


def serve(addresses: list[str], delay: float, pipe) -> None:
    """The servers' process: sends its ports, then, when asked, its counts."""
    stats = {k: [0] * len(addresses) for k in ("open", "max", "requests")}

    async def main() -> None:
        done, ports = asyncio.Event(), []
        task = asyncio.create_task(_serve(addresses, delay, ports, done, stats))
        while not ports:
            await asyncio.sleep(0.01)
        pipe.send(ports)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, pipe.recv)
        done.set()
        await task
        pipe.send({k: stats[k] for k in ("max", "requests")})
        pipe.send(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    asyncio.run(main())


# ---------------------------------------------------------------- the sweep

def resources(count: int, hosts: list[str], ports: list[int], seed: int):
    """The catalog's resources, made as they are read (the sweep keeps none)."""
    rng = random.Random(seed)
    for number in range(count):
        host = rng.randrange(len(hosts))
        fmt, ext = rng.choice(FORMATS)
        path = "/r/%d.%s" % (number, ext)
        if number % 50 == 7:
            path = "/r/%d/missing" % number      # a dead link
        elif number % 97 == 3:
            path = "/r/%d/login" % number        # an HTML page served for a file
        yield {"id": "r%d" % number, "url": "http://%s:%d%s" % (hosts[host], ports[host], path),
               "format": fmt, "url_type": ""}


def limiter(args: argparse.Namespace) -> outbound.Limiter:
    if not args.redis:
        return outbound.HostLimiter(args.per_host, 0.0)
    import redis
    from ckanext.mofcompliance.quality.limits import SharedHostLimiter
    return SharedHostLimiter(redis.Redis.from_url(args.redis), args.per_host,
                             prefix="bench:mofcompliance:quality:host:")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=150_000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--answer-ms", type=int, default=50)
    parser.add_argument("--threads", type=int, default=0, help="default: hosts × per-host")
    parser.add_argument("--seed", type=int, default=2567)
    parser.add_argument("--redis", help="hold the per-host limits in this Redis, as the "
                        "workers do (redis://127.0.0.1:6379/0); default: in this process")
    args = parser.parse_args()

    addresses = ["127.0.0.%d" % (2 + i) for i in range(args.hosts)]
    names = ["data-%02d.bench.example" % (1 + i) for i in range(args.hosts)]
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(addresses, args.answer_ms / 1000,
                                                         theirs), daemon=True)
    server.start()
    ports = ours.recv()
    where = dict(zip(names, addresses, strict=True))
    policy = outbound.Policy(
        allowed_hosts=frozenset(names), connect_timeout=10, read_timeout=30,
        max_bytes=10 * 1024 * 1024, max_redirects=5,
        user_agent="ckanext-mofcompliance-checker/1 (+http://127.0.0.1:5055; bench)",
        resolver=lambda host, port: [where[host]],
        limiter=limiter(args))
    threads = args.threads or args.hosts * args.per_host
    outcomes: dict[str, int] = {}
    started = time.monotonic()
    results = checked(resources(args.resources, names, ports, args.seed),
                      Settings(policy, max_rows=1000), threads)
    for done, (_ref, result) in enumerate(results, start=1):
        outcomes[result["outcome"]] = outcomes.get(result["outcome"], 0) + 1
        if done % 10_000 == 0:
            print("  %d checked, %.0f s" % (done, time.monotonic() - started), flush=True)
    seconds = time.monotonic() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ours.send("stop")
    counts, server_rss = ours.recv(), ours.recv()
    server.join(10)

    print("checker sweep: %d resources on %d hosts in %.1f s (%.0f/s), %d threads, limits %s"
          % (args.resources, args.hosts, seconds, args.resources / seconds, threads,
             "in Redis" if args.redis else "in this process"))
    print("  outcomes: %s" % ", ".join("%s %d" % o for o in sorted(outcomes.items())))
    print("  peak RSS: checker %.0f MB (servers' process %.0f MB)" % (rss, server_rss))
    print("  most connections open at once, per host: %s" % counts["max"])
    print("  requests per host: %d–%d" % (min(counts["requests"]), max(counts["requests"])))
    most = max(counts["max"])
    print("TARGET sweep ≤ 600 s: %.1f s %s" % (seconds, "✓" if seconds <= 600 else "✗"))
    print("TARGET peak RSS ≤ 300 MB: %.0f MB %s" % (rss, "✓" if rss <= 300 else "✗"))
    print("TARGET ≤ %d connections per host: %d %s"
          % (args.per_host, most, "✓" if most <= args.per_host else "✗"))


if __name__ == "__main__":
    main()
