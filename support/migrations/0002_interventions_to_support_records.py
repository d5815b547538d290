"""The flat support rows of the cohorts app become support records, before that table is dropped.

- consulting and mentoring: one visit each, by a provider named as typed (one provider per distinct name
  and kind in the program); delivered or under way, its hours confirmed; planned, scheduled; cancelled,
  rejected with the reason.
- training: a course per cohort and title, a session per row (its hours as the session's length) with
  the SME enrolled and its staff as one participant, present when delivered.
- financing referral: an item of the SME's development plan, the institution and amount in its target.
Notes go with each record; every row keeps its dates.
"""

import datetime
from decimal import Decimal

from django.db import migrations

UNNAMED = "Proveedor sin nombre"
SUPPORT_NOTE = "Registrado antes de los planes de desarrollo."
CANCELLED = "Cancelada antes de los planes de desarrollo."
PROVIDER_KIND = {"consulting": "consultant", "mentoring": "mentor", "training": "trainer"}
ITEM_STATUS = {"planned": "planned", "in_progress": "in_progress", "completed": "done", "cancelled": "dropped"}
INSTITUTIONS = {"nafin": "NAFIN", "bancomext": "BANCOMEXT", "other": "Otra institución"}


def _day(row) -> datetime.date:
    return row.end_date or row.start_date or row.created_at.date()


def _provider(Provider, cache, *, program_id, name, kind):
    name = (name or "").strip() or UNNAMED
    key = (program_id, name.casefold(), kind)
    if key not in cache:
        cache[key] = Provider.objects.create(program_id=program_id, kind=kind, name=name)
    return cache[key]


def _visit(apps, row, provider):
    Visit = apps.get_model("support", "Visit")
    visit = Visit(provider=provider, candidate_id=row.candidate_id, kind=row.kind, hours=row.hours)
    visit.topics = row.title
    visit.agreements = row.notes
    if row.status == "planned":
        visit.status = "scheduled"
        visit.scheduled_for = row.start_date
    elif row.status == "cancelled":
        visit.status = "rejected"
        visit.scheduled_for = row.start_date
        visit.date = _day(row)
        visit.resolution = CANCELLED
    else:  # delivered, or under way: the hours typed were delivered
        visit.status = "confirmed"
        visit.scheduled_for = row.start_date
        visit.date = _day(row)
        visit.logged_at = visit.answered_at = row.updated_at
    visit.save()
    Visit.objects.filter(pk=visit.pk).update(created_at=row.created_at)


def _training(apps, row, provider, courses):
    Course = apps.get_model("support", "Course")
    TrainingSession = apps.get_model("support", "TrainingSession")
    Enrolment = apps.get_model("support", "Enrolment")
    Participant = apps.get_model("support", "Participant")
    Attendance = apps.get_model("support", "Attendance")
    candidate = row.candidate
    key = (candidate.cohort_id, row.title.casefold(), provider.pk)
    if key not in courses:
        courses[key] = Course.objects.create(
            cohort_id=candidate.cohort_id, title=row.title, topic=SUPPORT_NOTE, trainer=provider
        )
    course = courses[key]
    starts = datetime.datetime.combine(row.start_date or _day(row), datetime.time(9), tzinfo=datetime.UTC)
    length = max(row.hours, Decimal("0.1"))  # a session lasts; a row without hours gets the shortest one
    session = TrainingSession.objects.create(
        course=course,
        topic=row.title[:200],
        trainer=provider,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=float(length)),
        place=SUPPORT_NOTE[:200],
    )
    enrolment, _ = Enrolment.objects.get_or_create(course=course, candidate=candidate)
    supplier = candidate.supplier
    participant = enrolment.participants.first() or Participant.objects.create(
        enrolment=enrolment, name=f"Personal de {supplier.trade_name or supplier.legal_name}"[:200]
    )
    if row.status in ("completed", "in_progress"):
        Attendance.objects.create(session=session, participant=participant, status="present")
    elif row.status == "cancelled":
        Attendance.objects.create(session=session, participant=participant, status="excused")


def _financing(apps, row):
    DevelopmentPlan = apps.get_model("support", "DevelopmentPlan")
    PlanItem = apps.get_model("support", "PlanItem")
    Evidence = apps.get_model("support", "Evidence")
    plan, _ = DevelopmentPlan.objects.get_or_create(candidate_id=row.candidate_id)
    institution = INSTITUTIONS.get(row.institution, row.institution)
    target = f"Canalización a financiamiento: {institution}"
    if row.amount_mxn is not None:
        target += f", ${row.amount_mxn:,.2f} MXN"
    status = ITEM_STATUS[row.status]
    item = PlanItem.objects.create(
        plan=plan,
        title=row.title,
        target=target,
        owner_name="",
        due_date=row.end_date,
        status=status,
        drop_reason=CANCELLED if status == "dropped" else "",
        completed_on=_day(row) if status == "done" else None,
        order=plan.items.count(),
    )
    if row.notes:
        Evidence.objects.create(item=item, note=row.notes)


def forwards(apps, schema_editor):
    Intervention = apps.get_model("cohorts", "Intervention")
    Provider = apps.get_model("support", "Provider")
    providers, courses = {}, {}
    rows = Intervention.objects.select_related("candidate__cohort", "candidate__supplier").order_by("pk")
    for row in rows.iterator(chunk_size=500):
        if row.kind == "financing":
            _financing(apps, row)
            continue
        provider = _provider(
            Provider,
            providers,
            program_id=row.candidate.cohort.program_id,
            name=row.provider,
            kind=PROVIDER_KIND[row.kind],
        )
        if row.kind == "training":
            _training(apps, row, provider, courses)
        else:
            _visit(apps, row, provider)


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0001_initial"),
        ("cohorts", "0004_cohort_floor_reasons_reentry"),
        ("suppliers", "0006_registration_draft"),
    ]
    run_before = [("cohorts", "0005_remove_intervention")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
