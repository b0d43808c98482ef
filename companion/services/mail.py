"""E-mail through the SMTP server of the MAIL_* settings: password reset links only.

The mail goes out from a background thread, so the answer to "Mot de passe oublié ?" takes
the same time whether the address has an account or not (docs/security.md). A mail that
cannot be sent is logged, never shown: the page says the same thing either way.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from companion.config import MailSettings

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 20


def message(settings: MailSettings, to: str, subject: str, body: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = settings.sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    mail.set_content(body)
    return mail


def send(settings: MailSettings, mail: EmailMessage) -> None:
    """Send now; raises on failure (smtplib's errors, OSError)."""
    context = ssl.create_default_context()
    if settings.security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.server, settings.port, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        smtp = smtplib.SMTP(settings.server, settings.port, timeout=TIMEOUT_SECONDS)
    with smtp:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.username:
            smtp.login(settings.username, settings.password)
        smtp.send_message(mail)


def _send_logged(settings: MailSettings, mail: EmailMessage) -> None:
    try:
        send(settings, mail)
    except (smtplib.SMTPException, OSError):
        log.exception("could not send the mail %r to %s", mail["Subject"], mail["To"])


def send_in_background(settings: MailSettings, mail: EmailMessage) -> threading.Thread:
    """Send from a thread; returns it (tests join it)."""
    thread = threading.Thread(target=_send_logged, args=(settings, mail), daemon=True)
    thread.start()
    return thread
