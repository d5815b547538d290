"""When an SME's data that the ranking reads changes (its profile, certifications, diagnostic, plan items),
the open opportunities in its areas are ranked again after the change commits."""

from django.db.models.signals import m2m_changed, post_save


def _rank_later(supplier_id) -> None:
    if supplier_id is None:
        return
    from .tasks import rank_supplier_after_commit

    rank_supplier_after_commit(supplier_id)


def _supplier_saved(sender, instance, **kwargs) -> None:
    _rank_later(instance.pk)


def _supplier_areas_changed(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _rank_later(getattr(instance, "pk", None))


def _by_supplier(sender, instance, **kwargs) -> None:
    _rank_later(instance.supplier_id)


def _diagnostic_saved(sender, instance, **kwargs) -> None:
    if instance.is_current_baseline:
        _rank_later(instance.supplier_id)


def _plan_item_saved(sender, instance, **kwargs) -> None:
    if instance.kind == "certification":
        from cohorts.models import Candidate

        _rank_later(Candidate.objects.filter(plan__items=instance).values_list("supplier_id", flat=True).first())


def connect() -> None:
    from assessments.models import Diagnostic
    from suppliers.models import Certification, Supplier
    from support.models import PlanItem

    post_save.connect(_supplier_saved, sender=Supplier, dispatch_uid="sourcing_supplier_saved")
    m2m_changed.connect(
        _supplier_areas_changed, sender=Supplier.supply_areas.through, dispatch_uid="sourcing_supplier_areas"
    )
    post_save.connect(_by_supplier, sender=Certification, dispatch_uid="sourcing_certification_saved")
    post_save.connect(_diagnostic_saved, sender=Diagnostic, dispatch_uid="sourcing_diagnostic_saved")
    post_save.connect(_plan_item_saved, sender=PlanItem, dispatch_uid="sourcing_plan_item_saved")
