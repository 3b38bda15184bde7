"""`okrs mail` against a real SMTP server started here (aiosmtpd on 127.0.0.1, STARTTLS
required, AUTH only over TLS), with a certificate made by openssl for the test."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from email import message_from_bytes, policy
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from delivery_history import AS_OF, PEOPLE, PLANS, make_repository

from generator.cli.main import main

USER, PASSWORD, SENDER = "okrs-bot", "s3cret-pw", "OKR bot <okrs@acme.test>"
PERSONS = yaml.safe_load(PEOPLE)["people"]


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes, bool]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content,
                              session.ssl is not None))
        return "250 OK"


def _authenticate(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=(auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode()))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if not shutil.which("openssl"):
        pytest.fail("openssl is needed to make the test server's certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture()
def server(certificate, monkeypatch):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=_authenticate, auth_require_tls=True)
    controller.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts the test's certificate only
    for name, value in {"OKRS_SMTP_HOST": "127.0.0.1", "OKRS_SMTP_PORT": str(port), "OKRS_SMTP_USER": USER,
                        "OKRS_SMTP_PASSWORD": PASSWORD, "OKRS_SMTP_FROM": SENDER}.items():
        monkeypatch.setenv(name, value)
    yield inbox
    controller.stop()


@pytest.fixture(scope="module")
def repo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repository(tmp_path_factory.mktemp("mail") / "repo").root


def expected_owners() -> dict[str, set[str]]:
    """Owners of open key results (not met, objective not dropped) with an e-mail address."""
    owners: dict[str, set[str]] = {}
    for plan in PLANS:
        if not plan.reaches_target and not plan.dropped and PERSONS[plan.owner].get("email"):
            owners.setdefault(plan.owner, set()).add(plan.kr)
    return owners


def test_each_owner_receives_one_multipart_message_with_their_key_results(repo_root, server, capsys) -> None:
    code = main(["mail", "--root", str(repo_root), "--as-of", AS_OF.isoformat(), "--owners"])
    err = capsys.readouterr().err
    assert code == 0, err
    expected = expected_owners()
    assert len(server.received) == len(expected)
    by_owner = {}
    for mail_from, rcpt_tos, content, over_tls in server.received:
        assert over_tls and mail_from == parseaddr(SENDER)[1]
        message = message_from_bytes(content, policy=policy.default)
        (to,) = getaddresses([message["To"]])
        owner = next(o for o, p in PERSONS.items() if p.get("email") == to[1])
        assert rcpt_tos == [to[1]] and to[0] == PERSONS[owner]["name"]
        assert owner not in by_owner  # one message each
        by_owner[owner] = message
    assert set(by_owner) == set(expected)
    for owner, message in by_owner.items():
        assert message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
        assert message["From"] == SENDER
        assert parsedate_to_datetime(message["Date"]).tzinfo is not None
        assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith("@acme.test>")
        assert message["Subject"].startswith("Your key results, week 2026-W46")
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        for kr in expected[owner]:
            assert f"The {kr} key result" in text and f"The {kr} key result" in html
            assert f"https://okrs.acme.test/objectives/2026-Q4/core/" in html
        others = {p.kr for p in PLANS} - expected[owner]
        assert not any(f"The {kr} key result" in text for kr in others)
    # Stale ones first: ben's throughput and dee's uptime have had no check-in for weeks.
    assert "[STALE] The throughput key result" in by_owner["ben"].get_body(("plain",)).get_content()
    assert ">stale</span>" in by_owner["dee"].get_body(("html",)).get_content()
    assert "stale" not in by_owner["cai"]["Subject"]


def test_to_sends_the_whole_digest_once(repo_root, server, capsys) -> None:
    code = main(["mail", "--root", str(repo_root), "--as-of", AS_OF.isoformat(), "--week", "2026-W46",
                 "--to", "team@acme.test", "Lead <lead@acme.test>"])
    assert code == 0, capsys.readouterr().err
    ((_, rcpt_tos, content, _),) = server.received
    assert sorted(rcpt_tos) == ["lead@acme.test", "team@acme.test"]
    message = message_from_bytes(content, policy=policy.default)
    assert message["Subject"].startswith("OKR digest, week 2026-W46")
    assert "OKR changes in week 2026-W46" in message.get_body(("html",)).get_content()


def test_nothing_is_sent_without_to_or_owners(repo_root, server, capsys) -> None:
    assert main(["mail", "--root", str(repo_root), "--as-of", AS_OF.isoformat()]) == 2
    assert "nothing sent" in capsys.readouterr().err and server.received == []


def test_missing_smtp_settings_exit_2(repo_root, monkeypatch, capsys) -> None:
    monkeypatch.delenv("OKRS_SMTP_HOST", raising=False)
    monkeypatch.setenv("OKRS_SMTP_FROM", SENDER)
    assert main(["mail", "--root", str(repo_root), "--owners"]) == 2
    assert "OKRS_SMTP_HOST is not set" in capsys.readouterr().err


def test_a_server_without_starttls_gets_nothing(repo_root, monkeypatch, capsys) -> None:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        for name, value in {"OKRS_SMTP_HOST": "127.0.0.1", "OKRS_SMTP_PORT": str(port),
                            "OKRS_SMTP_FROM": SENDER}.items():
            monkeypatch.setenv(name, value)
        code = main(["mail", "--root", str(repo_root), "--as-of", AS_OF.isoformat(), "--owners"])
    finally:
        controller.stop()
    assert code == 1 and "does not offer STARTTLS" in capsys.readouterr().err and inbox.received == []


def test_dry_run_writes_eml_files_and_sends_nothing(repo_root, tmp_path, monkeypatch, capsys) -> None:
    for name in ("OKRS_SMTP_HOST", "OKRS_SMTP_PORT", "OKRS_SMTP_USER", "OKRS_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "outbox"
    assert main(["mail", "--root", str(repo_root), "--as-of", AS_OF.isoformat(), "--owners",
                 "--dry-run", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"owner-{o}.eml" for o in expected_owners())
    message = message_from_bytes((out / "owner-ben.eml").read_bytes(), policy=policy.default)
    assert message["To"] == "Ben Berg <ben@acme.test>" and message.is_multipart()
