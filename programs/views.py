"""A partner's logo, shown on every page (public, like the partner's name)."""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from .models import Partner
from .validators import logo_content_type


@require_GET
def partner_logo(request, pk: int):
    """The logo of an active partner, served only as the PNG or JPEG its bytes are (an image never runs
    script; anything else answers 404), inline, cacheable for a day (the page's link changes with it)."""
    partner = Partner.objects.filter(pk=pk, is_active=True).exclude(logo="").only("logo").first()
    if partner is None:
        raise Http404
    try:
        handle = partner.logo.open("rb")
    except OSError as exc:  # the file is gone from storage
        raise Http404 from exc
    content_type = logo_content_type(handle.read(512))
    if content_type is None:
        handle.close()
        raise Http404
    handle.seek(0)
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
