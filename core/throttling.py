"""API throttles (settings: DEFAULT_THROTTLE_RATES ``anon`` and ``user``)."""
from rest_framework import throttling
from rest_framework.settings import api_settings


class _LiveRateMixin:
    """Read the rate when the request comes, so settings changes (and tests) take effect."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_LiveRateMixin, throttling.AnonRateThrottle):
    pass


class UserThrottle(_LiveRateMixin, throttling.UserRateThrottle):
    pass
