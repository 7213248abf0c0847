"""Translation the CKAN way: English msgids in the sources, Thai in the .po, pages in one
language.

- the Thai catalog is in step with the sources (every msgid extracted from the package,
  Python and Jinja as ``setup.py``'s ``message_extractors`` say, is translated; no msgid is
  left that the sources no longer use), and the compiled ``.mo`` holds exactly the ``.po``;
- every page of the extension (each GET rule of its blueprints, enumerated from the running
  app as ``security/test_private_leak.py`` does), the dataset page, form and search, shown
  to a sysadmin under ``/en/`` has no Thai in its interface, and under ``/th/`` no English
  msgid of the extension left untranslated. The fixture catalog's own texts are ASCII (the
  values of the standard's choice lists are thai_gdc's Thai: a page shows their labels).
"""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

import ckan
from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers

import ckanext.mofcompliance
from ckanext.mofcompliance.tests.factories import complete_dataset
from ckanext.mofcompliance.tests.security.test_private_leak import extension_rules, urls

PACKAGE = Path(ckanext.mofcompliance.__file__).parent
MESSAGES = PACKAGE / "i18n" / "th" / "LC_MESSAGES"
PO, MO = MESSAGES / "ckanext-mofcompliance.po", MESSAGES / "ckanext-mofcompliance.mo"
# As setup.py's message_extractors (the tests hold no page text).
METHOD_MAP = [("**/tests/**", "ignore"), ("**.py", "python"),
              ("**/templates/**.html", "ckan.lib.extract:extract_ckan")]
THAI = re.compile(r"[\u0e00-\u0e7f]+")
ORG, DATASET, INCOMPLETE = "finance-office", "cash-balance", "revenue-draft"
ORG_TITLE = "Finance Office"
# The fixture catalog's own texts, in ASCII so that the interface's language shows.
ASCII_TEXTS = {"title": "Cash balance", "notes": "Monthly cash balance.",
               "maintainer": "IT Centre", "data_source": "Fiscal Policy Office",
               "tags": [{"name": "fiscal"}, {"name": "cash"}]}


def _msgid(message: str | tuple[str, ...]) -> str:
    return message if isinstance(message, str) else message[0]


def extracted() -> dict[str, str]:
    """Every msgid of the package's sources (plural: the singular), with where it is."""
    return {_msgid(message): "%s:%s" % (filename, line)
            for filename, line, message, _comments, _context
            in extract_from_dir(str(PACKAGE), METHOD_MAP, keywords=DEFAULT_KEYWORDS)}


def thai_catalog() -> Catalog:
    with PO.open("rb") as po:
        return read_po(po, locale="th")


def ckan_thai_catalog() -> Catalog:
    """CKAN's own Thai catalog: what a template this extension overrides may still use."""
    with (Path(ckan.__file__).parent / "i18n" / "th" / "LC_MESSAGES" / "ckan.po").open("rb") as po:
        return read_po(po, locale="th")


def translated(catalog: Catalog) -> set[str]:
    return {_msgid(m.id) for m in catalog if m.id and all(
        m.string if isinstance(m.string, tuple) else (m.string,))}


def test_every_msgid_of_the_sources_has_its_thai():
    ours = translated(thai_catalog())
    untranslated = {msgid: where for msgid, where in extracted().items() if msgid not in ours}
    # CKAN's own msgids, in the CKAN templates this extension overrides, CKAN translates.
    core = translated(ckan_thai_catalog())
    assert {m: w for m, w in untranslated.items() if m not in core} == {}


# CKAN's own msgids that CKAN's Thai catalog leaves untranslated, supplied by this
# extension's catalog (CKAN merges every ITranslation plugin's catalog over its own), so
# that CKAN's pages show no English under /th/. Not in this package's sources: kept here.
CKAN_CORE_MSGIDS = (
    "Search data",                # the front page's search box, its label and example
    "Search datasets",
    "Search Datasets...",         # the header's search box label, read by screen readers
    "E.g. environment",
    "Popular tags",               # the front page
    "Skip to main content",       # every page, for keyboards and screen readers
    "License not specified",      # a dataset's licence notice
    '<strong>Powered by</strong> <a class="hide-text ckan-footer-logo" '
    'href="http://ckan.org">CKAN</a>',  # every page's footer
)
# Since CKAN 2.12: the edit form's "Unpublish" and a draft's resource form's "Publish".
CKAN_2_12_MSGIDS = ("Publish", "Unpublish")


def supplied_msgids() -> tuple[str, ...]:
    """The CKAN msgids this catalog supplies that the running CKAN has."""
    newer = tuple(int(n) for n in ckan.__version__.split(".")[:2]) >= (2, 12)
    return CKAN_CORE_MSGIDS + (CKAN_2_12_MSGIDS if newer else ())


def test_the_catalog_holds_no_msgid_the_sources_no_longer_use():
    used = set(extracted()) | set(CKAN_CORE_MSGIDS) | set(CKAN_2_12_MSGIDS)
    assert sorted(_msgid(m.id) for m in thai_catalog() if m.id and _msgid(m.id) not in used) == []


def test_the_ckan_msgids_supplied_are_ckans_and_untranslated_by_ckan():
    with (Path(ckan.__file__).parent / "i18n" / "ckan.pot").open("rb") as pot:
        core = {_msgid(m.id) for m in read_po(pot) if m.id}
    ours = translated(thai_catalog())
    assert [m for m in supplied_msgids() if m not in core] == []
    in_english = {_msgid(m.id) for m in ckan_thai_catalog()
                  if m.id and (not m.string or m.string == m.id)}
    assert [m for m in supplied_msgids() if m not in in_english] == []
    assert [m for m in supplied_msgids() if m not in ours] == []


def messages(catalog: Catalog) -> dict[Any, Any]:
    """msgid → msgstr, plurals as tuples (a read .mo gives lists)."""
    def key(text: Any) -> Any:
        return tuple(text) if isinstance(text, (list, tuple)) else text
    return {key(m.id): key(m.string) for m in catalog if m.id}


def test_the_compiled_catalog_holds_exactly_the_po():
    fresh = io.BytesIO()
    write_mo(fresh, thai_catalog())
    fresh.seek(0)
    with MO.open("rb") as installed:
        built, compiled = read_mo(fresh), read_mo(installed)
    assert messages(compiled) == messages(built) != {}


# --- the pages ------------------------------------------------------------------------


class _InterfaceText(HTMLParser):
    """The text a reader sees: text nodes and the title, placeholder, alt and aria-label
    attributes, outside scripts, styles and code (field names and evidence keys). select2 4
    (CKAN 2.12's tag and format boxes) labels its own search box "Search" in English: the
    widget's text, not a page's, so that box's attributes are left out."""

    SHOWN = ("title", "placeholder", "alt", "aria-label")
    HIDDEN = ("script", "style", "code")
    VENDOR = "select2-search__field"

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        if self.VENDOR not in (dict(attrs).get("class") or "").split():
            self.parts += [value for name, value in attrs if name in self.SHOWN and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def interface_text(html: str, content: list[str]) -> str:
    """The page's visible text, whitespace collapsed, with the catalog's content removed."""
    parser = _InterfaceText()
    parser.feed(html)
    text = " \n ".join(" ".join(part.split()) for part in parser.parts)
    for known in sorted(content, key=len, reverse=True):
        text = text.replace(known, " ")
    return text


def content_strings() -> list[str]:
    """What a page shows as data, not as interface: the fixture catalog's texts, its
    licence's title and the names of the languages in the language picker."""
    return [ORG_TITLE, "Revenue draft", "Open Data Common", "ไทย",
            *(v for v in ASCII_TEXTS.values() if isinstance(v, str))]


def msgid_pattern(msgid: str) -> re.Pattern[str]:
    """The msgid as it shows in a page: placeholders match anything, whole words only (a
    word of a dataset's URL name, such as ``draft`` in ``revenue-draft``, is not one)."""
    literal = re.split(r"%\(\w+\)[sd]|\{\w+\}", " ".join(msgid.split()))
    return re.compile(r"(?<![\w-])" + r".+?".join(re.escape(part) for part in literal)
                      + r"(?![\w-])")


@pytest.fixture
def catalog(clean_db, app, ckan_config, monkeypatch, tmp_path) -> Iterator[dict[str, Any]]:
    """A sysadmin who administers an organisation with a complete and an incomplete
    dataset, a use case, a rescore job and a staged NSO import, all in ASCII."""
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    monkeypatch.setitem(ckan_config, "ckanext.mofcompliance.enforcement", "advisory")
    # a fixed name and no description: a random one (shown in the header, the organisation's
    # sidebar) could spell an English msgid ("Level ...": the browser journeys met it)
    admin = factories.SysadminWithToken(name="kanda", fullname="Kanda Srisuk")
    org = factories.Organization(name=ORG, title=ORG_TITLE, description="", users=[
        {"name": admin["name"], "capacity": "admin"}])
    context = {"user": admin["name"]}
    helpers.call_action("package_create", context=dict(context), **complete_dataset(
        org["id"], name=DATASET, **ASCII_TEXTS))
    helpers.call_action("package_create", context=dict(context), **complete_dataset(
        org["id"], **dict(ASCII_TEXTS, name=INCOMPLETE, title="Revenue draft",
                          maintainer_email="")))
    use_case = helpers.call_action("mofcompliance_use_case_create", context=dict(context),
                                   owner=ORG, dataset=DATASET, link="https://data.example.go.th/r",
                                   change="used for planning", result="less time")["id"]
    job = helpers.call_action("mofcompliance_rescore", background=True)["job_id"]
    headers = {"Authorization": admin["token"]}
    staged = app.post("/organization/%s/nso-import" % ORG, headers=headers, data={
        "workbook": (io.BytesIO(app.get("/organization/%s/nso-export" % ORG,
                                        headers=headers).get_data()), "nso.xlsx")},
        content_type="multipart/form-data", follow_redirects=False)
    token = staged.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    fillers = {"org": [ORG], "id": [ORG], "fmt": ["csv"], "use_case_id": [use_case],
               "job_id": [job], "token": [token]}
    yield {"headers": headers, "fillers": fillers}
    ckan_jobs.job_from_id(job).delete()


def pages(app: Any, fillers: dict[str, list[str]]) -> list[str]:
    """Every GET page of the extension's blueprints, then the CKAN pages it adds to."""
    rules = [r for r in extension_rules(app) if "GET" in r.methods]
    found = [url for rule in rules for url in urls(rule, fillers)]
    assert len(found) >= len(rules), "a rule lacks a URL-variable filler"
    return found + ["/compliance/?quality=1", "/organization/" + ORG, "/dataset/",
                    "/dataset/" + DATASET, "/dataset/" + INCOMPLETE,
                    "/dataset/edit/" + DATASET]


def rendered(app: Any, catalog: dict[str, Any], locale: str) -> dict[str, str]:
    """Each HTML page under the locale's prefix (exports, JSON and workbooks skipped)."""
    shown = {}
    for url in pages(app, catalog["fillers"]):
        response = app.get("/%s%s" % (locale, url), headers=catalog["headers"])
        assert response.status_code == 200, (locale, url, response.status_code)
        if response.mimetype == "text/html":
            shown[url] = response.get_data(as_text=True)
    return shown


def test_english_pages_show_no_thai(app, catalog):
    content = content_strings()
    thai = {url: sorted(set(THAI.findall(interface_text(html, content))))
            for url, html in rendered(app, catalog, "en").items()}
    shown = {url: words for url, words in thai.items() if words}
    assert shown == {}, "Thai under /en/:\n" + "\n".join(
        "%s: %s" % (url, " ".join(words[:6])) for url, words in sorted(shown.items()))


def untranslatable(po: Catalog) -> list[str]:
    """English a Thai page may show besides the catalog's content: CKAN's own msgids (its Thai
    catalog is partial, and its pages are not this extension's), and the English names the
    Thai translations keep (JSON Schema, Data Catalog)."""
    ours = {_msgid(m.id) for m in po if m.id}
    with (Path(ckan.__file__).parent / "i18n" / "ckan.pot").open("rb") as pot:
        core = [_msgid(m.id) for m in read_po(pot) if m.id]
    kept = [s for m in po if m.id for s in (m.string if isinstance(m.string, tuple)
                                             else (m.string,)) if re.search("[A-Za-z]", s)]
    # a msgid with placeholders by its literal parts ("Filter by: {title}": "Filter by:")
    parts = {part.strip() for m in core for part in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", m)}
    return [p for p in parts if len(p) > 3 and p not in ours] + kept


def test_thai_pages_leave_no_english_msgid_untranslated(app, catalog):
    po = thai_catalog()
    patterns = {_msgid(m.id): [msgid_pattern(i) for i in ((m.id,) if isinstance(m.id, str)
                                                          else m.id)]
                for m in po if m.id and m.string != m.id}
    content = content_strings() + untranslatable(po)
    left = {}
    for url, html in rendered(app, catalog, "th").items():
        text = interface_text(html, content)
        found = sorted(msgid for msgid, regexes in patterns.items()
                       if any(r.search(text) for r in regexes))
        if found:
            left[url] = found
    assert left == {}, "untranslated under /th/:\n" + "\n".join(
        "%s: %s" % (url, ", ".join(msgids)) for url, msgids in sorted(left.items()))
