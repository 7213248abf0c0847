"""The resource checker against its labelled corpus: every container and dialect of
``tests/quality/corpus.py``, hostile servers (dripping headers or body, a zip bomb, a
cell of 16 MB, 4,000 cells a row, a megabyte-long line, archives of 100,000 parts, a JSON
of two million strings) and addresses the guard must refuse, checked 8 at a time on 127.0.0.1.

    .venv/ckan-2.11.6/bin/python bench/corpus.py [--threads 8] [--deadline 5]

Prints, per finding (downloadable, real format, encoding, valid, refused, deadline,
bounded), how many cases the checker got right, every case it got wrong, the peak RSS
above the baseline, and the longest check's wall time against its deadline; then one
TARGET line per goal.
"""
from __future__ import annotations

import argparse
import io
import resource
import sys
import time
import zipfile
import dataclasses
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ckanext.mofcompliance import outbound  # noqa: E402
from ckanext.mofcompliance.quality.checker import Settings, check  # noqa: E402
from ckanext.mofcompliance.tests.quality import corpus, servers  # noqa: E402

MB = 1024 * 1024
CAP = 10 * MB
# Cases that prove a bound on memory, not the deadline: their own deadline, what a machine
# ten times slower than this one needs (strings.json: two million strings, checked in
# about 3 s here beside seven other checks), so that a slow machine does not record them
# as cut.
OWN_DEADLINE = {"strings.json": 30.0}
LABELS = {"downloadable": "downloadable", "detected_format": "real format",
          "format_matches": "real format", "encoding": "encoding", "valid": "valid",
          "refused": "refused", "timeout": "deadline", "bounded": "bounded"}
# host names the guard must refuse, and the address each resolves to
REFUSED = {"compat.bench.example": "::7f00:1", "translated.bench.example": "::ffff:0:a00:1",
           "nat64.bench.example": "64:ff9b::a9fe:a9fe", "sixtofour.bench.example":
           "2002:c0a8:101::1", "teredo.bench.example": "2001:0:4136:e378:8000:63bf:80ff:fffe",
           "mapped.bench.example": "::ffff:127.0.0.1", "metadata.bench.example":
           "169.254.169.254", "private.bench.example": "10.1.2.3"}


def sheet_with_one_cell(chars: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                        b'2006/main"><sheetData><row r="1"><c t="inlineStr"><is><t>')
            for _ in range(chars // MB):
                sheet.write(b"A" * MB)
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return out.getvalue()


def hostile() -> list[corpus.Case]:
    """Files that would cost time or memory, each with the bounded finding expected."""
    bounded = {"bounded": True, "downloadable": True}
    return [
        corpus.Case("bomb.xlsx", sheet_with_one_cell(800 * MB), "XLSX", corpus.OCTETS,
                    dict(bounded, problem="too-large")),
        corpus.Case("long-cell.xlsx", sheet_with_one_cell(16 * MB), "XLSX", corpus.OCTETS,
                    dict(bounded, problem="unparsable")),
        corpus.Case("wide.csv", b"year\n" + (b"2566," * 3999 + b"2566\n") * 1000, "CSV",
                    "text/csv", dict(bounded, problem="tabular-errors")),
        corpus.Case("long-line.csv", b"a,b\n" + b"x" * (2 * MB) + b"\n", "CSV", "text/csv",
                    dict(bounded, problem="tabular-errors")),
        corpus.Case("parts.zip", corpus.archive_of_parts(100000), "ZIP", "application/zip",
                    dict(bounded, format_matches=True)),
        corpus.Case("parts.xlsx", corpus.archive_of_parts(100000, ("[Content_Types].xml",
                                                             "xl/workbook.xml")),
                    "XLSX", corpus.OCTETS, dict(bounded, problem="too-large",
                                                detected_format="XLSX")),
        corpus.Case("strings.json", b"[" + b'"ab",' * (CAP // 5 - 2) + b'"ab"]', "JSON",
                    "application/json", dict(bounded, valid=True)),
        corpus.Case("missing.csv", b"", "CSV", "text/csv", {"downloadable": False}),
        corpus.Case("login.csv", b"<!DOCTYPE html><html><body>Log in</body></html>", "CSV",
                    "text/html", {"downloadable": False}),
    ]


def judged(case: corpus.Case, result: dict[str, Any]) -> dict[str, bool]:
    """Per label, whether the result is what the case expects."""
    table = result["tabular"] or {}
    codes = [p["code"] for p in result["problems"]]
    seen = {**result, "valid": table.get("valid")}
    verdict: dict[str, bool] = {}
    for key, wanted in case.expect.items():
        if key == "problem":
            continue
        label = LABELS[key]
        if key == "bounded":
            ok = case.expect.get("problem") in codes if "problem" in case.expect else \
                result["outcome"] != "error"
        elif key == "refused":
            ok = result["outcome"] == "refused"
        elif key == "timeout":
            ok = codes == ["timeout"]
        else:
            ok = seen[key] == wanted
        verdict[label] = verdict.get(label, True) and ok
    return verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--deadline", type=float, default=5.0)
    args = parser.parse_args()

    cases = corpus.corpus(CAP) + hostile()
    site = servers.serve()
    for case in cases:
        status = 404 if case.name == "missing.csv" else 200
        site.routes[case.path] = (status, {"Content-Type": case.content_type}, case.body)
    drips = {"drip-headers.csv": servers.Drip(
        [b"HTTP/1.1 200 OK\r\n"] + [b"X-Line-%d: 1\r\n" % n for n in range(600)], b""),
        "drip-body.csv": servers.Drip([b"HTTP/1.1 200 OK\r\nContent-Length: 600\r\n\r\n"],
                                      b"a,b\n" + b"1,2\n" * 149)}
    refs: list[dict[str, Any]] = [
        {"id": c.name, "url": site.url(c.path), "format": c.declared} for c in cases]
    refs += [{"id": name, "url": drip.url("/" + name), "format": "CSV"}
             for name, drip in drips.items()]
    refs += [{"id": host, "url": "http://%s/data.csv" % host, "format": "CSV"}
             for host in REFUSED]
    expected = {c.name: c for c in cases}
    expected.update({name: corpus.Case(name, b"", "CSV", "", {"timeout": True,
                                                              "downloadable": False})
                     for name in drips})
    expected.update({host: corpus.Case(host, b"", "CSV", "", {"refused": True})
                     for host in REFUSED})

    def resolve(host: str, port: int) -> list[str]:
        return [REFUSED[host]] if host in REFUSED else outbound.system_resolver(host, port)

    policy = outbound.Policy(allowed_hosts=frozenset({"127.0.0.1"}), connect_timeout=2,
                             read_timeout=2, total_timeout=args.deadline, max_bytes=CAP,
                             resolver=resolve, limiter=outbound.HostLimiter(args.threads))
    settings = Settings(policy, max_rows=1000)
    own = {name: Settings(dataclasses.replace(policy, total_timeout=seconds), max_rows=1000)
           for name, seconds in OWN_DEADLINE.items()}
    timings: dict[str, float] = {}

    def timed(ref: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        started = time.monotonic()
        result = check(ref, own.get(ref["id"], settings))
        timings[ref["id"]] = time.monotonic() - started
        return ref["id"], result

    baseline = _rss_now()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        results = dict(pool.map(timed, refs))
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for drip in drips.values():
        drip.stop()
    servers.stop(site)
    _report(expected, results, timings, seconds, baseline, peak, args)


def _rss_now() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / MB


def _report(expected: dict[str, corpus.Case], results: dict[str, dict[str, Any]],
            timings: dict[str, float], seconds: float, baseline: float, peak: float,
            args: argparse.Namespace) -> None:
    right: dict[str, list[int]] = {}
    wrong = []
    for name, case in expected.items():
        for label, ok in judged(case, results[name]).items():
            right.setdefault(label, [0, 0])
            right[label][0] += ok
            right[label][1] += 1
            if not ok:
                wrong.append((name, label, results[name]))
    print("corpus: %d cases checked %d at a time in %.1f s"
          % (len(expected), args.threads, seconds))
    for label in dict.fromkeys(LABELS.values()):
        if label in right:
            print("  %-13s %d / %d right" % (label, *right[label]))
    for name, label, result in wrong:
        print("  WRONG %s (%s): outcome %s, found %s, matches %s, encoding %s, problems %s"
              % (name, label, result["outcome"], result["detected_format"],
                 result["format_matches"], result["encoding"],
                 [p["code"] for p in result["problems"]]))
    slowest = max(timings, key=timings.__getitem__)
    deadline = {name: OWN_DEADLINE.get(name, args.deadline) for name in timings}
    closest = max(timings, key=lambda name: timings[name] - deadline[name])
    print("  peak RSS %.0f MB, %.0f MB above the baseline of %.0f MB"
          % (peak, peak - baseline, baseline))
    print("  longest check: %s, %.2f s (deadline %.1f s)"
          % (slowest, timings[slowest], deadline[slowest]))
    for name in OWN_DEADLINE:
        print("  %s: %.2f s (its own deadline %.1f s)" % (name, timings[name], deadline[name]))
    misses = sum(total - ok for ok, total in right.values())
    print("TARGET no false finding: %d wrong %s" % (misses, "✓" if not misses else "✗"))
    late = timings[closest] - deadline[closest]
    print("TARGET every check within its deadline (+1 s): %s %.2f s of %.1f s %s"
          % (closest, timings[closest], deadline[closest], "✓" if late <= 1 else "✗"))
    print("TARGET ≤ 100 MB above the baseline with %d threads: %.0f MB %s"
          % (args.threads, peak - baseline, "✓" if peak - baseline <= 100 else "✗"))


if __name__ == "__main__":
    main()
