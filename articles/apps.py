from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.contrib.auth import get_user_model

        from articles.models import Section, Tag
        from articles.signals import (
            announce_any_change,
            announce_credited_name_change,
            announce_picture_change,
        )
        from pictures.models import Picture

        for model in (Section, Tag):
            for signal in (post_save, post_delete):
                signal.connect(announce_any_change, sender=model)
        post_save.connect(announce_credited_name_change, sender=get_user_model())
        post_save.connect(announce_picture_change, sender=Picture)
