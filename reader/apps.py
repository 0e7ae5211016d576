from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "reader"
    verbose_name = "Reader site"

    def ready(self):
        from articles.signals import public_content_changed
        from reader.caching import bump_public_version

        public_content_changed.connect(bump_public_version, dispatch_uid="reader-cache")
