"""SMTP settings from the environment: what is missing or wrong is named, nothing is guessed."""

from __future__ import annotations

import pytest

from generator.delivery.smtp import SmtpSettings, SmtpSettingsError

BASE = {"OKRS_SMTP_HOST": "smtp.acme.test", "OKRS_SMTP_FROM": "OKR bot <okrs@acme.test>"}


def test_defaults_to_port_587_without_login() -> None:
    assert SmtpSettings.from_env(BASE) == SmtpSettings("smtp.acme.test", 587, None, None, "OKR bot <okrs@acme.test>")


def test_reads_every_variable() -> None:
    env = dict(BASE, OKRS_SMTP_PORT="465", OKRS_SMTP_USER="bot", OKRS_SMTP_PASSWORD="pw")
    assert SmtpSettings.from_env(env) == SmtpSettings("smtp.acme.test", 465, "bot", "pw", "OKR bot <okrs@acme.test>")


@pytest.mark.parametrize("env, message", [
    ({}, "OKRS_SMTP_HOST and OKRS_SMTP_FROM are not set"),
    ({"OKRS_SMTP_HOST": "smtp.acme.test"}, "OKRS_SMTP_FROM is not set"),
    (dict(BASE, OKRS_SMTP_PORT="smtp"), "OKRS_SMTP_PORT='smtp' is not a port number"),
    (dict(BASE, OKRS_SMTP_PORT="70000"), "OKRS_SMTP_PORT='70000' is not a port number"),
    (dict(BASE, OKRS_SMTP_USER="bot"), "set both OKRS_SMTP_USER and OKRS_SMTP_PASSWORD, or neither"),
])
def test_what_is_wrong_is_named(env, message) -> None:
    with pytest.raises(SmtpSettingsError, match=message.replace("(", r"\(")):
        SmtpSettings.from_env(env)
