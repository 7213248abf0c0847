"""Reminder digests: one e-mail per recipient listing the missing items in their datasets
and the links that broke since the check before.

A problem (a missing item of a dataset, or a newly broken link of one of its resources,
told to one address) is mailed once: the database remembers what was sent, forgets it
when the item is filled or the link is no longer newly broken, and so mails it again only
if it comes back. A link is newly broken by the to-do list's rule: it answered at the
check before and no longer does (``quality/store.py``, ``newly_broken``). Recipients are
the dataset's maintainer (item 5) or, when the dataset has no valid contact e-mail, its
organisation's admins: never anyone else.

Every value a mail carries (titles, names, links, the checker's findings, the site's
title) is put on one line (``one_line``): a title with newlines cannot add paragraphs
or headers to a digest. The wording is in ``templates/emails/mofcompliance_reminder.txt``
and ``mofcompliance_reminder_subject.txt`` (as CKAN core's mails are): a site rewords them
with its own copies. They are rendered as pages are, so within a request context.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from datetime import datetime
from typing import Any, NamedTuple, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import mailer

from ..model import dataset_score_table, reminder_table
from ..quality import store as check_store
from ..standard import definition as std
from ..standard import values

Problem = tuple[str, str, str]  # (recipient, package_id, item field or BROKEN_LINK + resource id)
BROKEN_LINK = "broken-link:"


_SPACE_BREAKS = re.compile(r"\s+")


def one_line(value: Any) -> str:
    """``value`` as text on one line: each run of control characters (newlines, tabs,
    escapes …), line or paragraph separators and spaces becomes one space."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
                   for c in str(value))
    return _SPACE_BREAKS.sub(" ", text).strip()


def _line(template: str, *values: Any) -> str:
    """A mail line: ``template`` filled with ``values``, each on one line."""
    return template % tuple(one_line(v) for v in values)


def _admin_emails(org_ids: set[str]) -> dict[str, list[str]]:
    member, user = model.member_table, model.user_table
    rows = model.Session.execute(
        sa.select(member.c.group_id, user.c.email)
        .join(user, user.c.id == member.c.table_id)
        .where(member.c.group_id.in_(list(org_ids)), member.c.table_name == "user",
               member.c.capacity == "admin", member.c.state == "active",
               user.c.state == "active"))
    found: dict[str, list[str]] = defaultdict(list)
    for org_id, email in rows:
        if email and values.is_email(email):
            found[org_id].append(email)
    return found


def _incomplete(org_id: Optional[str]) -> list[Any]:
    package, score = model.package_table, dataset_score_table
    query = (sa.select(package.c.id, package.c.name, package.c.title, package.c.owner_org,
                       package.c.maintainer_email, score.c.missing_items)
             .join(score, score.c.package_id == package.c.id)
             .where(package.c.state == "active", score.c.metadata_complete.is_(False)))
    if org_id:
        query = query.where(package.c.owner_org == org_id)
    return list(model.Session.execute(query))


class Findings(NamedTuple):
    problems: set[Problem]
    datasets: dict[str, Any]            # package id -> its name and title
    links: dict[str, dict[str, Any]]    # BROKEN_LINK + resource id -> the newly broken link


def _recipients(maintainer_email: Optional[str], owner_org: Optional[str],
                admins: dict[str, list[str]]) -> list[str]:
    email = (maintainer_email or "").strip()
    return [email] if values.is_email(email) else admins.get(owner_org or "", [])


def current_problems(org_id: Optional[str] = None) -> Findings:
    """Every (recipient, dataset, missing item or newly broken link) now, and what they
    are about."""
    datasets = _incomplete(org_id)
    links = check_store.newly_broken(None if org_id is None else [org_id])
    admins = _admin_emails({d.owner_org for d in datasets if d.owner_org}
                           | {link["owner_org"] for link in links if link["owner_org"]})
    problems: set[Problem] = set()
    for dataset in datasets:
        for recipient in _recipients(dataset.maintainer_email, dataset.owner_org, admins):
            problems.update((recipient, dataset.id, item) for item in dataset.missing_items)
    about: dict[str, Any] = {d.id: d for d in datasets}
    by_item = {}
    for link in links:
        item = BROKEN_LINK + link["resource_id"]
        by_item[item] = link
        about.setdefault(link["package_id"], link)
        for recipient in _recipients(link["maintainer_email"], link["owner_org"], admins):
            problems.add((recipient, link["package_id"], item))
    return Findings(problems, about, by_item)


def _already_sent(org_id: Optional[str]) -> set[Problem]:
    table, package = reminder_table, model.package_table
    query = sa.select(table.c.recipient, table.c.package_id, table.c.item)
    if org_id:
        query = query.join(package, package.c.id == table.c.package_id).where(
            package.c.owner_org == org_id)
    return {tuple(r) for r in model.Session.execute(query)}


def _item_title(field: str) -> str:
    for item in std.items():
        for part in item.parts:
            if part.field == field:
                return _line("ข้อ %s %s / Item %s %s", part.number, part.label_th,
                             part.number, part.label_en)
    return one_line(field)


def _missing_datasets(problems: list[Problem], datasets: dict[str, Any],
                      site_url: str) -> list[dict[str, Any]]:
    by_dataset: dict[str, list[str]] = defaultdict(list)
    for _recipient, package_id, item in problems:
        by_dataset[package_id].append(item)
    return [{"title": one_line(datasets[package_id].title),
             "edit_url": _line("%s/dataset/edit/%s", site_url, datasets[package_id].name),
             "items": [_item_title(item) for item in sorted(items)]}
            for package_id, items in sorted(by_dataset.items(),
                                            key=lambda i: datasets[i[0]].title)]


def _broken_links(problems: list[Problem], links: dict[str, dict[str, Any]],
                  site_url: str) -> list[dict[str, str]]:
    found = []
    for link in sorted((links[item] for _r, _p, item in problems),
                       key=lambda link: (link["title"], link["resource_name"] or "")):
        findings = "; ".join(str(p.get("detail") or p.get("code"))
                             for p in link["problems"] or ())
        found.append({"title": one_line(link["title"]),
                      "resource": one_line(link["resource_name"] or link["url"]),
                      "url": one_line(link["url"]), "found": one_line(findings or "-"),
                      "edit_url": _line("%s/dataset/%s/resource/%s/edit", site_url,
                                        link["name"], link["resource_id"])})
    return found


def _body(problems: list[Problem], findings: Findings) -> str:
    """The digest from ``templates/emails/mofcompliance_reminder.txt`` (a site rewords it
    with its own copy of the template)."""
    site_url = tk.config.get("ckan.site_url").rstrip("/")
    missing = [p for p in problems if not p[2].startswith(BROKEN_LINK)]
    broken = [p for p in problems if p[2].startswith(BROKEN_LINK)]
    return tk.render("emails/mofcompliance_reminder.txt", {
        "missing": _missing_datasets(missing, findings.datasets, site_url),
        "broken": _broken_links(broken, findings.links, site_url)}).rstrip("\n") + "\n"


def digests(org_id: Optional[str] = None) -> dict[str, tuple[list[Problem], str]]:
    """What would be sent now: per recipient, the new problems and the mail body."""
    findings = current_problems(org_id)
    new = sorted(findings.problems - _already_sent(org_id))
    by_recipient: dict[str, list[Problem]] = defaultdict(list)
    for problem in new:
        by_recipient[problem[0]].append(problem)
    return {r: (p, _body(p, findings)) for r, p in by_recipient.items()}


def _forget_resolved(org_id: Optional[str], problems: set[Problem]) -> None:
    resolved = _already_sent(org_id) - problems
    for recipient, package_id, item in resolved:
        model.Session.execute(reminder_table.delete().where(
            reminder_table.c.recipient == recipient, reminder_table.c.package_id == package_id,
            reminder_table.c.item == item))


def send_digests(org_id: Optional[str] = None) -> list[str]:
    """Mail each recipient their new problems once; return the recipients mailed."""
    _forget_resolved(org_id, current_problems(org_id).problems)
    sent = []
    subject = one_line(tk.render("emails/mofcompliance_reminder_subject.txt",
                                 {"site_title": one_line(tk.config.get("ckan.site_title"))}))
    for recipient, (new, body) in digests(org_id).items():
        mailer.mail_recipient(recipient, recipient, subject, body)
        model.Session.execute(reminder_table.insert().values(
            [{"recipient": r, "package_id": p, "item": i, "sent": datetime.utcnow()}
             for r, p, i in new]))
        model.Session.commit()
        sent.append(recipient)
    model.Session.commit()
    return sent
