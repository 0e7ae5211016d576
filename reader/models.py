"""What the reader site keeps of its own: stored story renders (``reader.renders``)."""

from django.db import models

from articles.models import Article


class PublicEdition(models.Model):
    """A counter that every change readers can see moves on (one row).

    A story render records the edition it was built from and is served only
    while that edition stands.
    """

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Public edition {self.number}"


class StoryRender(models.Model):
    """An article page's own part (head tags and story), as built from public data."""

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="story_render",
    )
    edition = models.PositiveBigIntegerField()
    renderer = models.CharField(
        max_length=64, help_text="Fingerprint of the templates, code and settings."
    )
    head_html = models.TextField()
    story_html = models.TextField()
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Render of article {self.article_id} (edition {self.edition})"
