"""Email backends used by tests: a failing SMTP server and a slow file-based one (works across processes)."""

import os
import smtplib
import time

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend


class DownSMTPBackend(BaseEmailBackend):
    """Behaves like an SMTP server that refuses connections."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "Service not available")


class RecipientRefusedBackend(BaseEmailBackend):
    """An SMTP server that answers 550 (no such mailbox) for every recipient: a permanent refusal."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"5.1.1 User unknown") for m in email_messages})


class MailboxBusyBackend(BaseEmailBackend):
    """An SMTP server that answers 451 (try again later) to the message: transient."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, b"4.3.0 Mail server temporarily rejected message")


class RejectedMessageBackend(BaseEmailBackend):
    """An SMTP server that rejects the message with 554: permanent."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(554, b"5.7.1 Message rejected")


class BrokenTemplateBackend(BaseEmailBackend):
    """A permanent (non-transient) error."""

    def send_messages(self, email_messages):
        raise ValueError("malformed message")


class OneFilePerMessageBackend(FileEmailBackend):
    """File-based backend writing one file per message, after ``SDP_SLOW_MAIL_SECONDS`` of 'SMTP latency'.

    Each message goes to its own file named after the outbox id, so a test in
    another process can count deliveries (a duplicate would be a second file).
    """

    def send_messages(self, email_messages):
        delay = float(os.environ.get("SDP_SLOW_MAIL_SECONDS", "0"))
        if delay:
            time.sleep(delay)
        os.makedirs(self.file_path, exist_ok=True)
        for message in email_messages:
            outbox_id = message.extra_headers.get("X-SDP-Message-Id", "x")
            name = f"{outbox_id}-{time.time_ns()}-{os.getpid()}.eml"
            with open(os.path.join(self.file_path, name), "wb") as fh:
                fh.write(message.message().as_bytes())
        return len(email_messages)
