"""What the support app holds about a supplier, for the ARCO rights (``suppliers.privacy``)."""

from django.contrib.contenttypes.models import ContentType

from core.audit import ERASED_VALUE, scrub_history
from core.models import AuditEvent
from suppliers.privacy import plain

from .models import (
    DevelopmentPlan,
    Evidence,
    FinancingCase,
    FinancingDocument,
    FinancingStep,
    Participant,
    PlanItem,
    Visit,
)

ERASED_EMAIL = "erased@invalid"


def export_support(supplier) -> dict:
    """The SME's financing cases, plans and items, evidence notes, visits as it sees them and its course
    participants."""
    plans = DevelopmentPlan.objects.filter(candidate__supplier=supplier).prefetch_related(
        "items__milestones", "items__evidence"
    )
    visits = (
        Visit.objects.filter(candidate__supplier=supplier)
        .select_related("provider")
        .exclude(status=Visit.Status.SCHEDULED)
    )
    participants = (
        Participant.objects.filter(enrolment__candidate__supplier=supplier)
        .select_related("enrolment__course")
        .prefetch_related("attendance__session")
    )
    cases = FinancingCase.objects.filter(candidate__supplier=supplier).prefetch_related(
        "steps", "disbursements", "documents"
    )
    return {
        "financing_cases": [
            {
                "institution": case.institution_label,
                "product": case.product,
                "bank": case.bank,
                "anchor": case.anchor.name if case.anchor_id else "",
                "purpose": case.purpose,
                "status": case.status,
                "amount_requested": plain(case.amount_requested),
                "amount_approved": plain(case.amount_approved),
                "amount_disbursed": plain(case.amount_disbursed),
                "rejection_reason": case.rejection_reason,
                "steps": [
                    {"step": s.status, "on": plain(s.on), "reason": s.reason, "amount": plain(s.amount)}
                    for s in case.steps.all()
                ],
                "disbursements": [
                    {"on": plain(d.on), "amount": plain(d.amount), "reference": d.reference}
                    for d in case.disbursements.all()
                ],
                "documents": [
                    {"title": d.title, "file": d.file.name, "added": plain(d.created_at)} for d in case.documents.all()
                ],
            }
            for case in cases.select_related("anchor")
        ],
        "plans": [
            {
                "summary": plan.summary,
                "items": [
                    {
                        "title": item.title,
                        "target": item.target,
                        "owner_name": item.owner_name,
                        "due_date": plain(item.due_date),
                        "status": item.status,
                        "drop_reason": item.drop_reason,
                        "milestones": {m.step: plain(m.reached_on) for m in item.milestones.all()},
                        "evidence": [
                            {"note": e.note, "file": e.file.name, "added": plain(e.created_at)}
                            for e in item.evidence.all()
                        ],
                    }
                    for item in plan.items.all()
                ],
            }
            for plan in plans
        ],
        "visits": [
            {
                "provider": v.provider.name,
                "date": plain(v.date),
                "hours": plain(v.hours),
                "topics": v.topics,
                "agreements": v.agreements,
                "next_steps": v.next_steps,
                "status": v.status,
                "dispute_reason": v.dispute_reason,
            }
            for v in visits
        ],
        "participants": [
            {
                "course": p.enrolment.course.title,
                "name": p.name,
                "email": p.email,
                "attendance": [{"session": plain(a.session.starts_at), "status": a.status} for a in p.attendance.all()],
            }
            for p in participants
        ],
    }


def erase_support(supplier) -> int:
    """Anonymise the people (item owners, participants) and the free-text notes about the SME (plans, visits,
    financing cases); delete evidence files and financing documents. The amounts and steps of a financing
    case stay: they are the program's record of the financing, with nothing personal in them."""
    items = PlanItem.objects.filter(plan__candidate__supplier=supplier)
    item_ids = list(items.values_list("pk", flat=True))
    items.exclude(owner_name="").update(owner_name=ERASED_VALUE)
    for evidence in Evidence.objects.filter(item_id__in=item_ids):
        if evidence.file:
            evidence.file.delete(save=False)
        evidence.file = ""
        evidence.note = ERASED_VALUE
        evidence.save(update_fields=["file", "note"])
    visits = Visit.objects.filter(candidate__supplier=supplier)
    visit_ids = list(visits.values_list("pk", flat=True))
    visits.update(topics=ERASED_VALUE, agreements=ERASED_VALUE, next_steps=ERASED_VALUE)
    visits.exclude(dispute_reason="").update(dispute_reason=ERASED_VALUE)
    visits.exclude(resolution="").update(resolution=ERASED_VALUE)
    items.exclude(drop_reason="").update(drop_reason=ERASED_VALUE)
    participants = Participant.objects.filter(enrolment__candidate__supplier=supplier)
    participants.update(name=ERASED_VALUE, email=ERASED_EMAIL)
    cases = FinancingCase.objects.filter(candidate__supplier=supplier)
    case_ids = list(cases.values_list("pk", flat=True))
    cases.exclude(purpose="").update(purpose=ERASED_VALUE)
    cases.exclude(rejection_reason="").update(rejection_reason=ERASED_VALUE)
    FinancingStep.objects.filter(case_id__in=case_ids).exclude(reason="").update(reason=ERASED_VALUE)
    for document in FinancingDocument.objects.filter(case_id__in=case_ids):
        if document.file:
            document.file.delete(save=False)
        document.file = ""
        document.title = ERASED_VALUE
        document.save(update_fields=["file", "title"])
    changed = scrub_history(PlanItem, item_ids, ("owner_name", "drop_reason"))
    changed += scrub_history(FinancingCase, case_ids, ("purpose", "title"))
    changed += scrub_history(Visit, visit_ids, ("topics", "agreements", "next_steps", "dispute_reason", "resolution"))
    for model, ids in (
        (PlanItem, item_ids),
        (Visit, visit_ids),
        (FinancingCase, case_ids),
    ):  # reasons given for drops, disputes, resolutions
        changed += (
            AuditEvent.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids]
            )
            .exclude(reason="")
            .exclude(reason=ERASED_VALUE)
            .update(reason=ERASED_VALUE)
        )
    return changed
