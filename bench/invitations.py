"""Invitation import benchmark: a list of 100,000 SMEs to invite, uploaded on the staff page.

Usage (against a seeded database, e.g. ``manage.py seed_demo --size 100000``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sdp_bench_i9 .venv/bin/python bench/run.py invitations

A CSV of ``rows`` rows is generated: about 3% with a problem (a malformed RFC, a bad email, an unknown state),
about 2% repeating an earlier row's RFC, and 1,000 RFCs of SMEs already registered in the program. In one
transaction rolled back afterwards, a superuser uploads it on ``/staff/invitations/`` (the request, the
checks, the COPY writes and the outbox rows). Figures: ``invitations.import`` (seconds, target under 60 s)
and ``invitations.reimport``: the same file again must create no invitation and no email.
"""

from __future__ import annotations

import random
import time

from stdnum.mx import rfc as stdnum_rfc

from bench.common import Verdict, limit_verdict

IMPORT_LIMIT = 60.0
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
HOMOCLAVE = "123456789ABCDEFGHIJKLMNPRSTUV"
STATES = ["Guanajuato", "JAL", "14", "Nuevo León", "cdmx", "Querétaro", "Coahuila", "5", "Estado de México", "SLP"]


def make_csv(rows: int, registered: list[str], seed: int = 7) -> tuple[bytes, int]:
    """The file's bytes and how many of its rows have a problem (duplicates included)."""
    rng = random.Random(seed)
    lines = ["RFC,Razón social,Correo electrónico,Estado"]
    valid: list[str] = []  # RFCs of the rows without a problem so far
    bad = 0
    for n in range(rows):
        if registered and n % 100 == 50 and n // 100 < len(registered):
            rfc = registered[n // 100]
        else:
            prefix = "".join(rng.choice(LETTERS) for _ in range(3))
            base = f"{prefix}{rng.randint(60, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            base += HOMOCLAVE[n % len(HOMOCLAVE)] + HOMOCLAVE[(n // len(HOMOCLAVE)) % len(HOMOCLAVE)]
            # About 1.5% of real RFCs fail the check digit: a warning, still invited.
            rfc = base + ("0" if rng.random() < 0.015 else stdnum_rfc.calc_check_digit(base))
        email, state = f"contacto{n}@socio{n % 977}.com.mx", rng.choice(STATES)
        kind = rng.random()
        if kind < 0.01:
            rfc = rfc[:7]
        elif kind < 0.02:
            email = f"contacto{n}.socio.mx"
        elif kind < 0.03:
            state = "Atlántida"
        elif kind < 0.05 and valid:
            rfc = rng.choice(valid)  # the same RFC as an earlier row
        if kind < 0.05 and (valid or kind < 0.03):
            bad += 1
        else:
            valid.append(rfc)
        lines.append(f'{rfc},"Socio {n}, S.A. de C.V.",{email},{state}')
    return ("\n".join(lines) + "\n").encode(), bad


def measure(rows: int = 100_000) -> list[Verdict]:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from core.models import OutboundMessage
    from programs.models import Program
    from suppliers.models import InvitationImport, RegistrationInvitation, Supplier

    program = Program.objects.order_by("pk").first()
    if program is None:
        return []
    registered = list(
        Supplier.objects.filter(program=program, status__in=Supplier.RFC_UNIQUE_STATUSES)
        .order_by("pk")
        .values_list("rfc", flat=True)[:1000]
    )
    data, bad = make_csv(rows, registered)
    with transaction.atomic():
        user = get_user_model().objects.create_superuser("bench-invitations", "bench@sdp.local", "bench-invitations")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        url = reverse("suppliers:staff-invitations")

        def upload() -> tuple[float, InvitationImport]:
            start = time.perf_counter()
            response = client.post(
                url, {"program": program.pk, "file": SimpleUploadedFile("socios.csv", data, content_type="text/csv")}
            )
            seconds = time.perf_counter() - start
            assert response.status_code == 302, response.status_code
            return seconds, InvitationImport.objects.order_by("-pk").first()

        seconds, first = upload()
        counts = (RegistrationInvitation.objects.count(), OutboundMessage.objects.count())
        again_seconds, again = upload()
        unchanged = (RegistrationInvitation.objects.count(), OutboundMessage.objects.count()) == counts
        transaction.set_rollback(True)
    verdict = limit_verdict("invitations.import", seconds, IMPORT_LIMIT)
    reimport_ok = unchanged and again.invited == 0 and again.already_invited == first.invited
    return [
        Verdict(
            verdict.name,
            f"{verdict.text}  [{first.rows:,} rows: {first.invited:,} invited, {first.invalid:,} with problems "
            f"({bad:,} generated), {first.already_registered:,} already registered; rolled back]",
            verdict.ratio,
            verdict.passed and first.invalid == bad and first.rows == rows,
        ),
        Verdict(
            "invitations.reimport",
            f"{again_seconds:.3f} s for the same file again: {again.invited} invited, "
            f"{again.already_invited:,} already invited, invitations and outbox "
            f"{'unchanged' if unchanged else 'CHANGED'}",
            again_seconds / IMPORT_LIMIT,
            reimport_ok,
        ),
    ]
