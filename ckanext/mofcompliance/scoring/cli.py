"""``ckan mofcompliance profile …``: write and try a fiscal year's KPI profile before using it.

``profile new`` writes a commented starting point from a loaded profile; ``profile check``
validates a file (each fault with its file, line and key) and scores this catalog with it, as
the dashboard would once the file is in a folder of ``ckanext.mofcompliance.profiles_path``.
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import click

import ckan.model as model

from ..dataset.rows import package_dicts

from . import reads
from . import kpi_cache
from ..kpi import evaluation as kpi
from ..kpi.profile_draft import draft_text
from ..kpi.profile_format import ProfileError, read_profile_file

INVALID = 1


@click.group(short_help="Write and check fiscal-year KPI profiles")
def profile() -> None:
    """Write and check fiscal-year KPI profiles (เกณฑ์ปีงบประมาณ)."""


@profile.command("new")
@click.argument("profile_id")
@click.option("--from", "source_id", required=True, help="A loaded profile to start from.")
@click.option("--fiscal-year", type=int,
              help="Default: the four digits of PROFILE_ID (fy2568: 2568).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the file here (default: standard output); never overwritten.")
def new(profile_id: str, source_id: str, fiscal_year: int | None, output: Path | None) -> None:
    """Write PROFILE_ID's profile as commented YAML, from a loaded profile."""
    if source_id not in kpi.profile_ids():
        raise click.BadParameter("no profile %r is loaded (known: %s)"
                                 % (source_id, ", ".join(kpi.profile_ids())), param_hint="--from")
    text = draft_text(kpi.load_profile(source_id), profile_id, fiscal_year)
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists():
        raise click.ClickException("%s มีอยู่แล้ว / already exists" % output)
    output.write_text(text, encoding="utf-8")
    click.echo("เขียนแล้ว / written: %s" % output)


@profile.command("check")
@click.argument("profile_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(profile_file: Path) -> None:
    """Validate PROFILE_FILE, then score this catalog with it (the site and each
    organisation). Exit status 1 when the file is refused."""
    try:
        checked = read_profile_file(profile_file)
    except ProfileError as error:
        click.echo(str(error), err=True)
        sys.exit(INVALID)
    replaces = " (replaces the loaded %s)" % checked.id if checked.id in kpi.profile_ids() else ""
    click.echo("ถูกต้อง / valid: %s — %s version %s, FY%d%s"
               % (profile_file, checked.id, checked.version, checked.fiscal_year, replaces))
    click.echo("\n".join(score_lines(checked)))


def _line(name: str, result: kpi.KpiResult) -> str:
    return "%s: คะแนน / score %.2f   ระดับ / level %d" % (name, result.score, result.level)


def score_lines(checked: kpi.Profile) -> list[str]:
    """The site's score, level and criteria, then each organisation's score and level."""
    by_owner: dict[str, list[kpi.DatasetResult]] = defaultdict(list)
    for batch in package_dicts():
        for pkg in batch:
            by_owner[pkg.get("owner_org") or ""].append(kpi.assess_dataset(pkg, checked))
    orgs = model.Session.query(model.Group).filter_by(
        is_organization=True, state="active").order_by(model.Group.title).all()
    inputs = reads.kpi_inputs([kpi_cache.SITE, *(o.id for o in orgs)])
    everything = [r for results in by_owner.values() for r in results]
    site = reads.evaluate(kpi_cache.SITE, checked, everything,
                                inputs=inputs[kpi_cache.SITE], next_steps=False)
    lines = [_line("ทั้งระบบ / site", site), "เกณฑ์ / criteria:"]
    lines += ["  %s [%d] %s: %s/%s — %s / %s" % ("✓" if c.met else "✗", c.level, c.id, c.points,
                                                c.max_points, c.note_th, c.note_en)
              for c in site.criteria]
    lines.append("หน่วยงาน / organisations:")
    lines += ["  " + _line(o.name, reads.evaluate(o.id, checked, by_owner.get(o.id, []),
                                                        inputs=inputs[o.id], next_steps=False))
              for o in orgs]
    return lines
