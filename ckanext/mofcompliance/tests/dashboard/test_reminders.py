"""Reminder digests against a real local SMTP server: sent once, again only when new; missing
items and links broken since the check before."""
import email
import socket

import pytest
from aiosmtpd.controller import Controller

from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.mofcompliance.dashboard import reminders
from ckanext.mofcompliance.tests.factories import complete_dataset
from ckanext.mofcompliance.tests.quality import servers
from ckanext.mofcompliance.tests.quality.test_jobs import queues, run_queued  # noqa: F401

pytestmark = pytest.mark.ckan_config("ckanext.mofcompliance.enforcement", "advisory")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        body = message.get_payload(decode=True).decode("utf-8")
        self.messages.append((envelope.rcpt_tos, body))
        return "250 OK"


@pytest.fixture
def smtp(ckan_config, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(ckan_config, "smtp.server", "127.0.0.1:%d" % port)
    monkeypatch.setitem(ckan_config, "smtp.mail_from", "catalog@mof.go.th")
    yield inbox
    controller.stop()


@pytest.fixture
def catalog(clean_db):
    admin = factories.User(email="admin@mof.go.th")
    org = factories.Organization(name="mof-ops", users=[
        {"name": admin["name"], "capacity": "admin"}])
    helpers.call_action("package_create", **complete_dataset(org["id"], name="fine"))
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="no-objective", maintainer_email="stats@mof.go.th", objective=[]))
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="no-contact", maintainer_email="", geo_coverage=""))
    return org


def remind(cli, *args):
    result = cli.invoke(ckan, ["mofcompliance", "remind", *args])
    assert not result.exit_code, result.output
    return result.output


def test_digests_are_sent_once_and_again_only_for_new_problems(cli, smtp, catalog):
    remind(cli)
    recipients = sorted(rcpt for rcpts, _ in smtp.messages for rcpt in rcpts)
    assert recipients == ["admin@mof.go.th", "stats@mof.go.th"]
    assert "no-objective" in next(m for r, m in smtp.messages if r == ["stats@mof.go.th"])

    remind(cli)
    assert len(smtp.messages) == 2  # nothing new: no mail

    helpers.call_action("package_patch", id="fine", data_source="")
    remind(cli)
    assert len(smtp.messages) == 3


def test_a_problem_fixed_then_broken_again_is_mailed_again(cli, smtp, catalog):
    remind(cli)
    helpers.call_action("package_patch", id="no-objective", objective=["พันธกิจหน่วยงาน"])
    remind(cli)
    assert len(smtp.messages) == 2
    helpers.call_action("package_patch", id="no-objective", objective=[])
    remind(cli)
    assert len(smtp.messages) == 3


def test_a_dry_run_prints_and_sends_nothing(cli, smtp, catalog):
    output = remind(cli, "--dry-run")
    assert "To: stats@mof.go.th" in output and "ข้อ 8 วัตถุประสงค์ / Item 8 Objective" in output
    assert smtp.messages == []
    remind(cli)
    assert len(smtp.messages) == 2


@pytest.fixture
def linked(clean_db):
    """A complete dataset whose CSV answered at its first check, on a real loopback server."""
    site = servers.serve()
    site.routes["/fiscal.csv"] = (200, {"Content-Type": "text/csv"}, b"year,amount\n2566,10\n")
    org = factories.Organization(name="mof-ops")
    dataset = helpers.call_action("package_create", **complete_dataset(
        org["id"], name="fiscal-balance", title="ดุลการคลัง",
        maintainer_email="stats@mof.go.th",
        resources=[{"url": site.url("/fiscal.csv"), "format": "CSV", "name": "ตารางดุล"}]))
    run_queued()
    yield site, dataset
    servers.stop(site)


@pytest.mark.ckan_config("ckanext.mofcompliance.quality.allowed_hosts", "127.0.0.1")
@pytest.mark.ckan_config("ckanext.mofcompliance.quality.host_interval_ms", "0")
@pytest.mark.usefixtures("queues")
def test_a_newly_broken_link_is_mailed_once_with_what_to_do(cli, smtp, linked):
    site, dataset = linked
    remind(cli)
    assert smtp.messages == []  # complete, and its link answers

    site.routes["/fiscal.csv"] = (404, {"Content-Type": "text/html"}, b"<html>gone</html>")
    helpers.call_action("mofcompliance_resource_check_now", id="fiscal-balance")
    run_queued()
    remind(cli)
    [(recipients, body)] = smtp.messages
    assert recipients == ["stats@mof.go.th"]
    resource_id = dataset["resources"][0]["id"]
    assert "ดุลการคลัง: ตารางดุล (%s)" % site.url("/fiscal.csv") in body
    assert "the server answered HTTP 404" in body
    assert ("Fix the link, or upload the file instead: "
            "http://test.ckan.net/dataset/fiscal-balance/resource/%s/edit" % resource_id) in body
    assert "DGA mandatory metadata" not in body  # nothing is missing

    remind(cli)
    assert len(smtp.messages) == 1  # told once


def test_control_characters_in_any_value_never_break_the_mail_s_lines(cli, smtp, clean_db):
    org = factories.Organization(name="mof-ops")
    hostile = "ดุลการคลัง\n\nURGENT: reply with your password\r\n- fake item\u2028\x1b[2J end"
    helpers.call_action("package_create", **complete_dataset(
        org["id"], name="hostile-title", title=hostile, maintainer_email="stats@mof.go.th",
        objective=[]))
    remind(cli)
    [(recipients, body)] = smtp.messages
    assert recipients == ["stats@mof.go.th"]
    assert ("- ดุลการคลัง URGENT: reply with your password - fake item [2J end "
            "(http://test.ckan.net/dataset/edit/hostile-title)\n") in body
    assert not any(line.startswith(("URGENT", "- fake")) for line in body.splitlines())
    assert "\x1b" not in body and "\u2028" not in body


@pytest.mark.parametrize("value, line", [
    ("a\r\nBcc: x@example.com", "a Bcc: x@example.com"), ("\tก\x00ข\x85ค\u2029", "ก ข ค"),
    ("plain", "plain")])
def test_one_line_collapses_every_control_character(value, line):
    assert reminders.one_line(value) == line
