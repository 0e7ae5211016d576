from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "reader"
    verbose_name = "Reader site"

    def ready(self):
        from articles.signals import public_content_changed
        from reader.caching import bump_public_version
        from reader.renders import edition_advance

        # The edition first: a page cached after the version moves is built
        # from renders of the new edition.
        public_content_changed.connect(edition_advance, dispatch_uid="reader-renders")
        public_content_changed.connect(bump_public_version, dispatch_uid="reader-cache")
