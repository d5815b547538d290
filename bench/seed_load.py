"""Seed the load-test database: suppliers with contacts, a cohort with candidates, diagnostics, audit events,
a staff user.

Run through Django (bench/load.sh does it)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sdp_i8_load python bench/seed_load.py 500

Prints a diagnostic id and the staff API token on the last two lines. Idempotent enough to re-run: it
reuses the staff user, cohort and framework, adds suppliers only up to the requested number and a
diagnostic to each supplier with an even id that has none. One supplier in five is left ``submitted`` so the
status filters of the lists select a real subset.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402

from assessments.models import Diagnostic, Framework  # noqa: E402
from cohorts.models import Cohort  # noqa: E402
from core import roles  # noqa: E402
from core.audit import record  # noqa: E402
from core.tokens import create_token  # noqa: E402
from programs.models import ProgramStaff  # noqa: E402
from suppliers.models import Supplier  # noqa: E402
from tests.assessments.factories import DiagnosticFactory, build_framework  # noqa: E402
from tests.cohorts.factories import CandidateFactory, CohortFactory  # noqa: E402
from tests.programs.factories import ProgramFactory, UserFactory  # noqa: E402
from tests.suppliers.factories import ContactFactory  # noqa: E402

STAFF_USERNAME = "load-staff"
STAFF_PASSWORD = "Load-test-Passw0rd!"


def main(count: int) -> None:
    with transaction.atomic():
        roles.ensure_role_groups()
        staff, _ = UserFactory._meta.model.objects.get_or_create(
            username=STAFF_USERNAME, defaults={"email": "load-staff@example.mx", "is_staff": True}
        )
        staff.is_staff = True
        staff.set_password(STAFF_PASSWORD)
        staff.save()
        staff.groups.add(Group.objects.get(name=roles.STAFF_GROUP))
        _, key = create_token(staff)  # a fresh key on each run: only its hash is stored
        cohort = Cohort.objects.filter(name="Carga").select_related("program").first()
        if cohort is None:
            cohort = CohortFactory(program=ProgramFactory(), name="Carga")
        program = cohort.program
        ProgramStaff.objects.get_or_create(user=staff, program=program)
        existing = Supplier.objects.count()
        for n in range(existing, count):
            status = Supplier.Status.SUBMITTED if n % 5 == 4 else Supplier.Status.VERIFIED
            contact = ContactFactory(
                supplier__program=program, supplier__status=status, email=f"load{n}@pyme.example.mx"
            )
            if status == Supplier.Status.VERIFIED:
                record(contact.supplier, action="transition", actor=staff, from_state="submitted", to_state="verified")
            if n % 3 == 0:
                CandidateFactory(cohort=cohort, supplier=contact.supplier)
        framework = Framework.objects.filter(code="load").first() or build_framework(code="load")
        for supplier in Supplier.objects.filter(diagnostics__isnull=True).order_by("pk"):
            if supplier.pk % 2 == 0:  # half of the suppliers, the same half on every run
                DiagnosticFactory(supplier=supplier, framework=framework)
    print(f"suppliers={Supplier.objects.count()} diagnostics={Diagnostic.objects.count()}")
    print(Diagnostic.objects.order_by("pk").values_list("pk", flat=True).first())
    print(key)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
