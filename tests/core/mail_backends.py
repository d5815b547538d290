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
