"""Sending e-mail over SMTP: the one module of the library that talks to the network.

Settings come from the environment (OKRS_SMTP_*); the connection uses TLS from the first
byte on port 465, else STARTTLS, which is required: the password never goes in clear.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Mapping, Sequence

TIMEOUT = 30  # seconds for connecting and for each reply


class SmtpSettingsError(Exception):
    """The environment does not say how to send: its message names the variables."""


class SendError(Exception):
    """The server refused or could not be reached; the message says which and how far it got."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    sender: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpSettings:
        missing = [name for name in ("OKRS_SMTP_HOST", "OKRS_SMTP_FROM") if not env.get(name, "").strip()]
        if missing:
            raise SmtpSettingsError(
                f"not sending: {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set; set "
                "OKRS_SMTP_HOST, OKRS_SMTP_PORT (default 587), OKRS_SMTP_USER, OKRS_SMTP_PASSWORD and "
                "OKRS_SMTP_FROM, or write the messages with --dry-run DIR")
        port_text = env.get("OKRS_SMTP_PORT", "").strip() or "587"
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise SmtpSettingsError(f"not sending: OKRS_SMTP_PORT={port_text!r} is not a port number like 587 or 465")
        user, password = env.get("OKRS_SMTP_USER") or None, env.get("OKRS_SMTP_PASSWORD") or None
        if bool(user) != bool(password):
            raise SmtpSettingsError("not sending: set both OKRS_SMTP_USER and OKRS_SMTP_PASSWORD, or neither")
        return cls(env["OKRS_SMTP_HOST"].strip(), int(port_text), user, password, env["OKRS_SMTP_FROM"].strip())


def send(messages: Sequence[EmailMessage], settings: SmtpSettings) -> int:
    """Send every message over one connection; how many were sent. Raises SendError."""
    context = ssl.create_default_context()
    sent = 0
    try:
        if settings.port == 465:
            server: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT, context=context)
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
        with server:
            if settings.port != 465:
                server.ehlo()
                if not server.has_extn("starttls"):
                    raise SendError(f"{settings.host}:{settings.port} does not offer STARTTLS; not sending in clear "
                                    "(use the port for STARTTLS, usually 587, or 465 for TLS)")
                server.starttls(context=context)
                server.ehlo()
            if settings.user:
                server.login(settings.user, settings.password or "")
            for message in messages:
                server.send_message(message)
                sent += 1
    except SendError:
        raise
    except (smtplib.SMTPException, ssl.SSLError, OSError) as err:
        raise SendError(f"sending through {settings.host}:{settings.port} failed after {sent} of "
                        f"{len(messages)} messages: {err}") from None
    return sent
