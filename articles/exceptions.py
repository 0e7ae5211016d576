"""Domain errors of the articles app; views turn them into pages, never 500s."""

from django.core.exceptions import PermissionDenied


class EditConflict(Exception):
    """Someone saved the article after the editor's form was opened.

    ``base`` is the revision the editor started from, ``current`` the one now
    in force; the editor's own text is kept by the caller.
    """

    def __init__(self, *, base, current):
        super().__init__(
            f"Article {current.article_id} is at revision {current.number}, "
            f"not {base.number if base else 'none'}"
        )
        self.base = base
        self.current = current


class ArticleEditForbidden(PermissionDenied):
    """The user may not edit this article (not theirs, or no longer a draft)."""


class PreviewLinkInvalid(Exception):
    """A preview token is forged, expired or revoked."""
