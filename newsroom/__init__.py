"""Project package: settings, URLs, WSGI/ASGI and the Celery app. No business rules."""

from newsroom.celery import app as celery_app

__all__ = ("celery_app",)
