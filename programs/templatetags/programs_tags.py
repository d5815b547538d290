from django import template

from ..models import Partner
from ..selectors import partners_of_program

register = template.Library()


@register.simple_tag
def program_partners(program) -> dict[str, list[Partner]]:
    """The active partners of ``program`` (of the open program when None): ``all`` of them, the ``funders``
    (which receive each company's data to evaluate the program, as the privacy notice says) and the
    ``others`` (which receive only totals)."""
    partners = partners_of_program(program or None)
    funders = [p for p in partners if p.kind == Partner.Kind.FUNDER]
    return {"all": partners, "funders": funders, "others": [p for p in partners if p.kind != Partner.Kind.FUNDER]}
