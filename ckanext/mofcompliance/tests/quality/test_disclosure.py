"""What readers see of the checks: the finding, never the cell values or addresses the
checker quoted; the dataset's editors see the details."""
import pytest

from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import complete_dataset
from ckanext.mofcompliance.tests.quality.test_jobs import queues, run_queued  # noqa: F401

from . import servers

pytestmark = [*servers.ALLOWED, pytest.mark.usefixtures("queues")]
SECRET = "TOPSECRET-CELL-VALUE"
TYPED = ("id,amount\n" + "".join("%d,%d\n" % (i, i) for i in range(150))
         + "150,%s\n" % SECRET).encode()


@pytest.fixture
def checked(clean_db):
    """A public dataset whose CSV has a quoted cell in its check, and one whose link the
    guard refused (localhost is not allow-listed), both checked."""
    site = servers.serve()
    site.routes["/typed.csv"] = (200, {"Content-Type": "text/csv"}, TYPED)
    org = factories.Organization(name="mof-ops")
    typed = helpers.call_action("package_create", **complete_dataset(
        org["id"], name="typed", resources=[
            {"url": site.url("/typed.csv"), "format": "CSV", "name": "typed"},
            {"url": site.url("/inside.csv", host="localhost"), "format": "CSV",
             "name": "inside"}]))
    run_queued()
    yield {"org": org, "dataset": typed}
    servers.stop(site)


def details(answer):
    """Every text the checker quoted in the checks of ``answer``."""
    return " ".join(
        [str(p.get("detail")) for c in answer["resources"] for p in c["problems"]]
        + [str(e.get("message")) for c in answer["resources"]
           for e in (c["tabular"] or {}).get("errors", [])])


def as_user(user, **data):
    return helpers.call_action("mofcompliance_resource_checks",
                               context={"user": user["name"] if user else "",
                                        "ignore_auth": False}, **data)


def test_anonymous_readers_see_findings_without_cells_or_addresses(app, checked):
    for reference in ("typed", "mof-ops"):
        answer = app.get("/api/3/action/mofcompliance_resource_checks",
                         query_string={"id": reference}).json["result"]
        codes = sorted(p["code"] for c in answer["resources"] for p in c["problems"])
        assert codes == ["refused-address", "tabular-errors"]
        assert SECRET not in str(answer) and "127.0.0.1" not in details(answer)
        assert "localhost" not in details(answer)
        [typed] = [c for c in answer["resources"] if c["tabular"]]
        assert typed["tabular"]["errors"] == [{"code": "type-error", "row": 152}]
        assert all(c["details_withheld"] for c in answer["resources"])


def test_a_member_who_cannot_edit_reads_no_details(checked):
    member = factories.User()
    helpers.call_action("organization_member_create", id=checked["org"]["id"],
                        username=member["name"], role="member")
    for reference in ("typed", "mof-ops"):
        assert SECRET not in str(as_user(member, id=reference))


def test_editors_see_the_details(checked):
    editor, sysadmin = factories.User(), factories.Sysadmin()
    helpers.call_action("organization_member_create", id=checked["org"]["id"],
                        username=editor["name"], role="editor")
    for user in (editor, sysadmin):
        for reference in ("typed", "mof-ops"):
            quoted = details(as_user(user, id=reference))
            assert SECRET in quoted
            assert "refusing non-public address localhost (127.0.0.1)" in quoted
