import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# Each worker imports the URL configuration (every app's views and serializers, the API router) as it
# starts, instead of during the first request it serves, which would wait over a second for it.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - read for its import
