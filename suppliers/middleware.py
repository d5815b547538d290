"""The participation an SME account with several chose, kept in its session, read with the request's user."""

from core.middleware import is_token_api_request

from .selectors import PARTICIPATION_ATTRIBUTE, PARTICIPATION_SESSION_KEY


class ParticipationMiddleware:
    """Put the session's chosen participation on ``request.user`` for ``selectors.supplier_for_user``.

    Only a session that holds a choice touches the user; ``supplier_for_user`` still returns only a
    participation of the account's own companies, whatever the session says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_token_api_request(request):  # no session: nothing chosen
            return self.get_response(request)
        session = getattr(request, "session", None)
        chosen = session.get(PARTICIPATION_SESSION_KEY) if session is not None else None
        if isinstance(chosen, int) and getattr(request.user, "is_authenticated", False):
            setattr(request.user, PARTICIPATION_ATTRIBUTE, chosen)
        return self.get_response(request)
