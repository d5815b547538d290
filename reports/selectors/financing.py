"""The financing funnel of a report: the cases of the scope's candidacies, counted and summed at each step
(``support.financing.selectors.funnel`` says what each step counts)."""

from support.financing.models import FinancingCase
from support.financing.selectors import funnel

from .scope import ReportScope


def financing_funnel(scope: ReportScope) -> list[dict]:
    return funnel(FinancingCase.objects.filter(candidate__in=scope.candidates().values("id")))
