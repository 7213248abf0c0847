"""Build a realistic national-scale catalog for the benchmarks, quickly and reproducibly.

    python bench/build_catalog.py --ini .local/bench.ini --datasets 50000 --orgs 200 --seed 2567

Rows are written straight into CKAN's tables in bulk (organisations, datasets with the
DGA fields as extras, 3 resources each, tags), then the search index and the score store
are filled with the extension's own bulk paths. The same seed gives the same catalog.
A mix: about 60 % of datasets carry all 14 items, the rest miss one to four; formats mix
CSV, XLSX, JSON, PDF and API resources; 15 % are private. Run ``bench/run.py`` next.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import time
import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa

from ckanext.mofcompliance.common.progress import progress

WORDS_TH = ["รายได้", "ภาษี", "หนี้สาธารณะ", "งบประมาณ", "รายจ่าย", "การคลัง", "รัฐวิสาหกิจ",
            "ศุลกากร", "สรรพสามิต", "เงินเฟ้อ", "การลงทุน", "ประชากร", "ท่องเที่ยว", "เกษตร"]
WORDS_EN = ["revenue", "tax", "debt", "budget", "expenditure", "fiscal", "customs",
            "excise", "inflation", "investment", "population", "tourism", "agriculture"]
GEO = ["ประเทศ", "ภาค", "จังหวัด", "อำเภอ", "ตำบล"]
FREQUENCY = ["ปี", "ไตรมาส", "เดือน", "วัน", "ตามเวลาจริง"]
CATEGORY = ["ข้อมูลสาธารณะ"] * 8 + ["ข้อมูลใช้ภายใน", "ข้อมูลส่วนบุคคล"]
FORMATS = [("CSV", "csv"), ("XLSX", "xlsx"), ("JSON", "json"), ("PDF", "pdf"), ("API", "")]
OPTIONAL_ITEMS = ["maintainer_email", "objective", "update_frequency_unit", "geo_coverage",
                  "data_source", "data_format", "data_category", "license_id"]


def _dataset(rng: random.Random, index: int, org: dict, creator: str, now: datetime) -> dict:
    topic = rng.randrange(len(WORDS_TH))
    category = rng.choice(CATEGORY)
    licence = "Open Data Common" if category == "ข้อมูลสาธารณะ" else \
        "Creative Commons Attribution Non-Commercial"
    extras = {
        "data_type": rng.choice(["ข้อมูลสถิติ", "ข้อมูลระเบียน"]),
        "objective": json.dumps(["พันธกิจหน่วยงาน"], ensure_ascii=False),
        "update_frequency_unit": rng.choice(FREQUENCY), "update_frequency_interval": "1",
        "geo_coverage": rng.choice(GEO), "data_source": org["title"],
        "data_format": json.dumps(["CSV", "XLS"]), "data_category": category,
        "allow_harvest": "True", "kpi_mission": "ภารกิจหลัก %d" % (index % 7),
        "kpi_main_process": "กระบวนการหลัก %d" % (index % 11),
    }
    core = {"maintainer_email": "data%d@agency.go.th" % (index % 500), "license_id": licence}
    if rng.random() < 0.4:
        for item in rng.sample(OPTIONAL_ITEMS, rng.randint(1, 4)):
            (core if item in core else extras)[item] = ""
    modified = now - timedelta(minutes=index)
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128))), "name": "bench-%06d" % index,
        "title": "%s %s ปี %d (%s %s)" % (WORDS_TH[topic], org["title"], 2560 + index % 8,
                                         WORDS_EN[topic % len(WORDS_EN)], index),
        "notes": "ชุดข้อมูล%sรายเดือนของ%s / monthly %s data" % (
            WORDS_TH[topic], org["title"], WORDS_EN[topic % len(WORDS_EN)]),
        "type": "dataset", "state": "active", "private": rng.random() < 0.15,
        "owner_org": org["id"], "creator_user_id": creator, "maintainer": "กลุ่มข้อมูล",
        "metadata_created": modified, "metadata_modified": modified,
        **core, "_extras": extras, "_topic": topic,
    }


def _resources(rng: random.Random, dataset: dict) -> list[dict]:
    rows = []
    for position in range(3):
        fmt, ext = rng.choice(FORMATS)
        extras = {"authoritative_source": "True"} if position == 0 and rng.random() < 0.5 else {}
        if fmt == "API":
            extras["api_query_documented"] = "True"
        rows.append({"id": str(uuid.UUID(int=rng.getrandbits(128))), "package_id": dataset["id"],
                     "url": "https://data.agency.go.th/%s/%d.%s" % (dataset["name"], position,
                                                                   ext or "api"),
                     "format": fmt, "name": "ไฟล์ที่ %d" % (position + 1), "position": position,
                     "state": "active", "extras": json.dumps(extras),
                     "created": dataset["metadata_created"]})
    return rows


def build(datasets: int, orgs: int, seed: int) -> None:
    import ckan.model as model
    rng = random.Random(seed)
    now = datetime.utcnow()
    creator = model.Session.execute(sa.select(model.user_table.c.id).where(
        model.user_table.c.sysadmin.is_(True)).limit(1)).scalar()
    organisations = [{"id": str(uuid.UUID(int=rng.getrandbits(128))), "name": "bench-org-%03d" % n,
                      "title": "หน่วยงานทดสอบ %03d" % n, "type": "organization",
                      "is_organization": True, "state": "active", "approval_status": "approved",
                      "created": now} for n in range(orgs)]
    model.Session.execute(model.group_table.insert(), organisations)
    tags = [{"id": str(uuid.UUID(int=rng.getrandbits(128))), "name": word}
            for word in WORDS_TH + WORDS_EN]
    existing = {r.name for r in model.Session.execute(sa.select(model.tag_table.c.name))}
    tags = [t for t in tags if t["name"] not in existing]
    if tags:
        model.Session.execute(model.tag_table.insert(), tags)
    tag_ids = {r.name: r.id for r in model.Session.execute(sa.select(model.tag_table))}
    batch = 2000
    with progress("datasets") as report:
        for start in range(0, datasets, batch):
            chunk = [_dataset(rng, i, organisations[i % orgs], creator, now)
                     for i in range(start, min(start + batch, datasets))]
            _write(model, rng, chunk, tag_ids)
            model.Session.commit()
            report(start + len(chunk), datasets)


def _write(model, rng: random.Random, chunk: list[dict], tag_ids: dict[str, str]) -> None:
    packages, extras, resources, package_tags, members = [], [], [], [], []
    extras_column = "extras" in model.package_table.c  # CKAN 2.12: a JSON column
    for d in chunk:
        packages.append({k: v for k, v in d.items() if not k.startswith("_")})
        if extras_column:
            packages[-1]["extras"] = d["_extras"]
        else:
            extras.extend({"id": str(uuid.uuid4()), "package_id": d["id"], "key": k,
                           "value": v, "state": "active"} for k, v in d["_extras"].items())
        resources.extend(_resources(rng, d))
        for word in (WORDS_TH[d["_topic"]], WORDS_EN[d["_topic"] % len(WORDS_EN)]):
            package_tags.append({"id": str(uuid.uuid4()), "package_id": d["id"],
                                 "tag_id": tag_ids[word], "state": "active"})
        members.append({"id": str(uuid.uuid4()), "table_name": "package", "table_id": d["id"],
                        "group_id": d["owner_org"], "capacity": "organization",
                        "state": "active"})
    tables = [(model.package_table, packages), (model.resource_table, resources),
              (model.package_tag_table, package_tags), (model.member_table, members)]
    if extras:
        tables.append((model.package_extra_table, extras))
    for table, rows in tables:
        model.Session.execute(table.insert(), rows)


def index_and_score(ini: str, workers: int) -> None:
    """Fill the PostgreSQL search index with the extension's own row builder, one
    organisation at a time in ``workers`` processes, then the score store in bulk."""
    import ckan.model as model
    from ckanext.mofcompliance.scoring import rebuild
    org_ids = [r[0] for r in model.Session.execute(sa.text(
        "SELECT id FROM \"group\" WHERE is_organization AND state = 'active' ORDER BY name"))]
    total = model.Session.execute(sa.text(
        "SELECT count(*) FROM package WHERE state = 'active' AND type = 'dataset'")).scalar()
    model.Session.remove()
    done = 0
    with multiprocessing.get_context("spawn").Pool(
            workers, initializer=_start_worker, initargs=(ini,)) as pool, \
            progress("indexed") as report:
        for count in pool.imap_unordered(_index_organization, org_ids):
            done += count
            report(done, total)
    rebuild.rescore()
    model.Session.commit()


def _start_worker(ini: str) -> None:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    global _worker_context
    _worker_context = make_app(load_config(ini))._wsgi_app.test_request_context()
    _worker_context.push()


def _index_organization(org_id: str) -> int:
    import ckan.model as model
    from ckanext.mofcompliance.dataset import rows
    from ckanext.mofcompliance.search.index import build_row, upsert_rows
    organization = model.Group.get(org_id)
    count = 0
    for batch in rows.package_dicts(org_id):
        upsert_rows(build_row(_as_shown(model, p, organization)) for p in batch)
        count += len(batch)
    model.Session.commit()
    return count


def _as_shown(model, package: dict, organization) -> dict:
    """A bulk-read package dict with what package_show adds for the indexer."""
    columns = set(model.package_table.c.keys()) | {"tags", "resources"}
    shown = {k: v for k, v in package.items() if k in columns}
    shown["extras"] = [{"key": k, "value": v} for k, v in package.items() if k not in columns]
    for key in ("metadata_created", "metadata_modified"):
        shown[key] = str(shown[key])  # as package_show gives it: ISO text
    shown["resources"] = [{k: v.isoformat() if isinstance(v, datetime) else v
                           for k, v in r.items()} for r in shown["resources"]]
    # as package_show gives it: CKAN's dataset page reads the organisation's type
    shown["organization"] = {key: getattr(organization, key) for key in (
        "id", "name", "title", "type", "description", "image_url", "is_organization",
        "approval_status", "state")}
    shown["groups"] = []
    return shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", required=True, help="the CKAN config of the bench database")
    parser.add_argument("--datasets", type=int, default=50000)
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2567)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes that build the search index (default: one per core)")
    args = parser.parse_args()
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    app = make_app(load_config(args.ini))
    with app._wsgi_app.test_request_context():
        started = time.perf_counter()
        build(args.datasets, args.orgs, args.seed)
        analyse()  # the bulk read behind the rescore is planned from these statistics
        print("rows written in %.1f s" % (time.perf_counter() - started))
        started = time.perf_counter()
        index_and_score(args.ini, args.workers)
        print("indexed and scored in %.1f s" % (time.perf_counter() - started))
        analyse()


def analyse() -> None:
    """VACUUM ANALYZE the bulk-loaded tables, as after any bulk load: planner statistics
    (without them PostgreSQL plans as if the tables were empty) and the visibility map
    (otherwise the first readers of every page write it back to set hint bits)."""
    import ckan.model as model
    from ckanext.mofcompliance.model import dataset_score_table
    from ckanext.mofcompliance.search.model import (
        facet_count_table, search_facet_table, search_index_table)
    tables = [model.package_table, model.resource_table, model.package_tag_table,
              model.tag_table, model.member_table, model.group_table, search_index_table,
              search_facet_table, facet_count_table, dataset_score_table]
    if "extras" not in model.package_table.c:
        tables.append(model.package_extra_table)
    model.Session.commit()
    with model.meta.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT") as connection:  # VACUUM runs outside transactions
        for table in tables:
            connection.exec_driver_sql('VACUUM ANALYZE "%s"' % table.name)


if __name__ == "__main__":
    main()
