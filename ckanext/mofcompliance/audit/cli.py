"""``mofcompliance-audit``: score a catalog from a JSON file or a live CKAN, without CKAN.

Input (a file, or ``-`` for standard input) is one of:

* a JSON list of package dicts;
* a ``package_search`` response: ``{"result": {"results": [...]}}`` or ``{"results": [...]}``;
* an object ``{"catalog_url", "plan", "use_cases", "registrations", "datasets": [...]}``.

Or ``--url`` reads a live CKAN through paged ``package_search`` calls. With
``--check-resources`` every linked resource is also checked (the catalog's own checker and
outbound guard, bounded concurrency per run and per host) and the NSO QC grade is reported
beside the KPI. Exit status: 0 on success, 2 on bad input or an unreachable catalog (one line
on standard error, no traceback).
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, TextIO

import click
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ..common.progress import progress as reporting
from . import remote
from ..kpi.evaluation import audit_catalog, profile_ids
from ..kpi.profile_format import ProfileError, read_profile_file
from ..kpi.inputs import DatasetResult
from ..kpi.profile import Profile
from ..kpi.profiles import DEFAULT_PROFILE

PAGE_ROWS = 1000  # CKAN's default ckan.search.rows_max
BAD_INPUT = 2


class AuditInputError(Exception):
    """The input cannot be audited; the message is one line for the user."""


# ---------------------------------------------------------------- reading input

def _datasets(value: Any, where: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        raise AuditInputError(f"{where} is not a list of package dicts")
    for i, pkg in enumerate(value, 1):
        if not isinstance(pkg, Mapping):
            raise AuditInputError(f"{where}: item {i} is not a JSON object")
    return value


def parse_input(data: Any) -> dict[str, Any]:
    """Normalise any accepted input shape to ``{"datasets", "catalog_url", "plan", …}``."""
    if isinstance(data, list):
        return {"datasets": _datasets(data, "the input")}
    if not isinstance(data, Mapping):
        raise AuditInputError("the input must be a JSON list or object")
    if isinstance(data.get("result"), Mapping) and "results" in data["result"]:
        return {"datasets": _datasets(data["result"]["results"], "result.results")}
    if "results" in data:
        return {"datasets": _datasets(data["results"], "results")}
    if "datasets" in data:
        return {
            "datasets": _datasets(data["datasets"], "datasets"),
            "catalog_url": data.get("catalog_url"),
            "plan": _object(data.get("plan"), "plan"),
            "use_cases": _list_of_objects(data.get("use_cases"), "use_cases"),
            "registrations": _object(data.get("registrations"), "registrations"),
        }
    raise AuditInputError("no datasets found: expected a list, a package_search response, "
                          "or an object with \"datasets\"")


def _object(value: Any, name: str) -> Mapping[str, Any] | None:
    if value is not None and not isinstance(value, Mapping):
        raise AuditInputError(f"{name} must be a JSON object")
    return value


def _list_of_objects(value: Any, name: str) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise AuditInputError(f"{name} must be a list of JSON objects")
    return value


def read_file(stream: TextIO) -> dict[str, Any]:
    try:
        return parse_input(json.load(stream))
    except json.JSONDecodeError as exc:
        raise AuditInputError(f"not valid JSON ({exc.msg}, line {exc.lineno})") from None
    except UnicodeDecodeError:
        raise AuditInputError("the file is not UTF-8 text") from None


# ---------------------------------------------------------------- reading a live CKAN

def _session(api_token: str | None, retries: int) -> requests.Session:
    session = requests.Session()
    retry = Retry(total=retries, backoff_factor=0.5, status_forcelist=(429, 500, 502, 503, 504),
                  allowed_methods=("GET",))
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.headers["User-Agent"] = "mofcompliance-audit"
    if api_token:
        session.headers["Authorization"] = api_token
    return session


def _search_page(session: requests.Session, url: str, start: int, rows: int, timeout: float,
                 include_private: bool) -> dict[str, Any]:
    params: dict[str, Any] = {"q": "*:*", "rows": rows, "start": start, "sort": "id asc",
              "include_private": str(include_private).lower()}
    try:
        resp = session.get(f"{url.rstrip('/')}/api/3/action/package_search", params=params,
                           timeout=timeout)
        body = resp.json()
    except requests.RequestException as exc:
        raise AuditInputError(f"cannot read {url}: {type(exc).__name__}") from None
    except ValueError:
        raise AuditInputError(f"{url} did not answer with JSON (HTTP {resp.status_code})") from None
    if not (isinstance(body, Mapping) and body.get("success") and isinstance(body.get("result"), Mapping)):
        raise AuditInputError(f"{url} package_search failed (HTTP {resp.status_code})")
    return body["result"]


def fetch_catalog(url: str, api_token: str | None = None, rows: int = PAGE_ROWS,
                  timeout: float = 30.0, retries: int = 3,
                  progress: TextIO | None = None) -> Iterator[Mapping[str, Any]]:
    """Every package dict of a live CKAN, paged by ``package_search`` (``sort=id asc``)."""
    session = _session(api_token, retries)
    first = _search_page(session, url, 0, rows, timeout, bool(api_token))
    total = int(first.get("count") or 0)
    with reporting("package_search", progress) as report:
        page, start = first, 0
        while True:
            results = _datasets(page.get("results"), "result.results")
            yield from results
            start += len(results)
            report(start, total)
            if not results or start >= total:
                return
            page = _search_page(session, url, start, rows, timeout, bool(api_token))


# ---------------------------------------------------------------- output

class DatasetRows(list):
    """The report's ``datasets``: each dataset's row made from its result as the report is
    written, one at a time. Held whole, the rows took 2.7 kB a dataset beside the results'
    1.5 kB (about 140 MB at 50,000 datasets). The writers iterate it like the list it
    stands for, as ``remote.Spool``."""

    def __init__(self, results: list[DatasetResult]) -> None:
        super().__init__()
        self._results = results

    def __len__(self) -> int:
        return len(self._results)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (result.to_dict() for result in self._results)


def echo_json(report: Mapping[str, Any], piece: int = 65536) -> None:
    """The JSON report written as it is encoded, in pieces of about ``piece`` characters:
    the checks of ``--check-resources`` are read back from disk one at a time
    (``remote.CheckLog``), never held whole, nor is the text."""
    chunks: list[str] = []
    size = 0
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(report):
        chunks.append(chunk)
        size += len(chunk)
        if size >= piece:
            click.echo("".join(chunks), nl=False)
            chunks, size = [], 0
    click.echo("".join(chunks))


def _indicator_levels(ds: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v['level']}" for k, v in ds["open_indicators"].items())


def _grade(score: float | None, letter: str | None) -> str:
    return "-" if score is None else f"{letter} ({score:.2f})"


def _dataset_grade(graded: Mapping[str, Any]) -> str:
    return f"; NSO QC {_grade(graded['score'], graded['letter'])}"


def _nso_qc_lines(nso_qc: Mapping[str, Any], max_problems: int = 5) -> list[str]:
    cat = nso_qc["catalog"]
    spread = " ".join(f"{k}={v}" for k, v in cat["distribution"].items())
    lines = [f"เกรด สสช. / NSO QC grade: {_grade(cat['score'], cat['letter'])}"
             f"   ({cat['graded']}/{cat['datasets']} graded; {spread};"
             f" {nso_qc['checked_resources']} resources checked)"]
    lines += [f"  - {p['label']} — datasets: {p['datasets']}"
              for p in cat["problems"][:max_problems]]
    return lines


def render_text(report: Mapping[str, Any], max_steps: int = 20) -> str:
    nso_qc = report.get("nso_qc")
    graded = {d["name"]: _dataset_grade(d) for d in nso_qc["datasets"]} if nso_qc else {}
    lines = [
        f"{report['profile_title_th']}",
        f"{report['profile_title_en']}",
        f"คะแนน / score: {report['score']:.2f}   ระดับ / level: {report['level']}",
        *(_nso_qc_lines(nso_qc) if nso_qc else []),
        "",
        "เกณฑ์ / criteria:",
    ]
    for c in report["criteria"]:
        mark = "✓" if c["met"] else "✗"
        lines.append(f"  {mark} [{c['level']}] {c['id']}: {c['points']}/{c['max_points']}"
                     f" — {c['note_th']} / {c['note_en']}")
    lines += ["", "ชุดข้อมูล / datasets:"]
    for ds in report["datasets"]:
        missing = ", ".join(ds["missing_items"]) or "-"
        lines.append(f"  {ds['name']}: 14 รายการ/items {'ครบ/complete' if ds['metadata_complete'] else 'ไม่ครบ/incomplete'}"
                     f" (ขาด/missing: {missing}); open level {ds['open_level']} ({_indicator_levels(ds)})"
                     + graded.get(ds["name"], ""))
    steps = report["next_steps"]
    if steps:
        lines += ["", f"ขั้นต่อไปสู่ระดับ {report['next_level']} / next steps to level {report['next_level']}:"]
        lines += [f"  - {s['text_th']}\n    {s['text_en']}" for s in steps[:max_steps]]
        if len(steps) > max_steps:
            lines.append(f"  … และอีก {len(steps) - max_steps} ขั้น / and {len(steps) - max_steps} more")
    return "\n".join(lines)


CSV_COLUMNS = ("name", "title", "metadata_complete", "missing_items", "open_level", "public",
               "access", "granularity", "format", "searchable")


def render_csv(report: Mapping[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for ds in report["datasets"]:
        ind = ds["open_indicators"]
        writer.writerow([
            ds["name"], ds["title"], ds["metadata_complete"], ";".join(ds["missing_items"]),
            ds["open_level"], ds["public"],
            *(ind[k]["level"] if k in ind else "" for k in CSV_COLUMNS[6:]),
        ])
    return out.getvalue().rstrip("\n")


WRITERS: dict[str, Callable[[Mapping[str, Any]], None]] = {
    "json": echo_json,
    "text": lambda report: click.echo(render_text(report)),
    "csv": lambda report: click.echo(render_csv(report)),
}


# ---------------------------------------------------------------- command

@click.command(name="mofcompliance-audit")
@click.argument("input_file", type=click.File("r", encoding="utf-8"), required=False)
@click.option("--url", help="Base URL of a live CKAN to read with package_search.")
@click.option("--api-token", envvar="CKAN_API_TOKEN", help="API token (also CKAN_API_TOKEN); "
              "with it, private datasets the token can see are included.")
@click.option("--profile", "profile_id", type=click.Choice(profile_ids()), default=DEFAULT_PROFILE,
              show_default=True, help="The fiscal year's KPI rules.")
@click.option("--profile-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A profile file (e.g. a draft year) to validate and score with, instead of "
                   "--profile.")
@click.option("--format", "output_format", type=click.Choice(tuple(WRITERS)), default="json",
              show_default=True)
@click.option("--catalog-url", help="The agency catalog URL to report (default: --url).")
@click.option("--timeout", type=float, default=30.0, show_default=True,
              help="Seconds per request.")
@click.option("--retries", type=int, default=3, show_default=True)
@click.option("--check-resources", is_flag=True, help="Also check every linked resource "
              "and report the NSO QC grade beside the KPI.")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Resources checked at once.")
@click.option("--per-host", type=click.IntRange(1, 16), default=2, show_default=True,
              help="At most this many requests at a time to one host.")
@click.option("--host-interval-ms", type=click.IntRange(0), default=200, show_default=True,
              help="Milliseconds between two requests' starts on one host.")
@click.option("--allow-host", "allowed_hosts", multiple=True, help="A host the checker may "
              "reach although it resolves to a private or loopback address (repeatable).")
def main(input_file: TextIO | None, url: str | None, api_token: str | None, profile_id: str,
         profile_file: Path | None, output_format: str, catalog_url: str | None,
         timeout: float, retries: int, check_resources: bool, threads: int, per_host: int,
         host_interval_ms: int, allowed_hosts: tuple[str, ...]) -> None:
    """ตรวจบัญชีข้อมูลตามตัวชี้วัด Data Catalog / Audit a data catalog against the KPI.

    INPUT_FILE is a JSON file ("-" for standard input); or give --url.
    """
    try:
        profile: Profile | str = read_profile_file(profile_file) if profile_file else profile_id
    except ProfileError as exc:
        click.echo(f"mofcompliance-audit: error: {exc}", err=True)
        sys.exit(BAD_INPUT)
    try:
        source = _load(input_file, url, api_token, timeout, retries)
        datasets: Iterable[Mapping[str, Any]] = source["datasets"]
        spools = remote.Spools()
        if check_resources:   # each dataset reaches the KPI once its resources are checked
            datasets = remote.graded(datasets, remote.CheckOptions(
                threads, per_host, host_interval_ms, frozenset(allowed_hosts), timeout),
                spools)
        report = audit_catalog(
            datasets, profile, plan=source.get("plan"),
            use_cases=source.get("use_cases") or (),
            catalog_url=catalog_url or source.get("catalog_url") or url,
            registrations=source.get("registrations"), rows=DatasetRows,
        )
        if check_resources:
            report["nso_qc"] = remote.grade_report(spools)
    except AuditInputError as exc:
        click.echo(f"mofcompliance-audit: error: {exc}", err=True)
        sys.exit(BAD_INPUT)
    WRITERS[output_format](report)
    spools.close()


def _load(input_file: TextIO | None, url: str | None, api_token: str | None,
          timeout: float, retries: int) -> dict[str, Any]:
    if bool(input_file) == bool(url):
        raise AuditInputError("give either an input file or --url")
    if input_file is not None:
        return read_file(input_file)
    assert url is not None
    return {"datasets": fetch_catalog(url, api_token, timeout=timeout, retries=retries)}


if __name__ == "__main__":
    main()
