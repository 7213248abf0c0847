"""Reminder digests against a real local SMTP server: sent once, again only when new."""
import email
import socket

import pytest
from aiosmtpd.controller import Controller

from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.mofcompliance.tests.factories import complete_dataset

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
