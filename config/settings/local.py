"""Local development: DEBUG on, the embedded PostgreSQL and in-process tasks unless told otherwise."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
