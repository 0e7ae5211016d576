from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Content API"

    def ready(self):
        from api.documents import public_clock_advance
        from articles.signals import public_content_changed

        public_content_changed.connect(public_clock_advance, dispatch_uid="api-clock")
