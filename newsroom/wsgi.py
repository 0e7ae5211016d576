"""WSGI entry point, for gunicorn: ``gunicorn newsroom.wsgi``.

Cached public pages are served in front of Django (``reader.caching``): the
cheapest place, before the handler and any middleware run.
"""

import os

from django.core.wsgi import get_wsgi_application

from reader.caching import PublicPageCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = PublicPageCache(get_wsgi_application())
