"""Domain errors of the articles app; views turn them into pages, never 500s."""

from django.core.exceptions import PermissionDenied


class EditConflict(Exception):
    """Someone saved the article after the editor's form was opened.

    ``base`` is the revision the editor started from, ``current`` the one now
    in force, ``merge`` (an ``articles.merge.Merge``) the overlapping changes
    left to choose between, when a merge was tried; the editor's own text is
    kept by the caller.
    """

    def __init__(self, *, base, current, merge=None):
        super().__init__(
            f"Article {current.article_id if current else '?'} is at revision "
            f"{current.number if current else 'none'}, "
            f"not {base.number if base else 'none'}"
        )
        self.base = base
        self.current = current
        self.merge = merge


class ArticleEditForbidden(PermissionDenied):
    """The user may not edit this article (not theirs, or no longer a draft)."""


class PreviewLinkInvalid(Exception):
    """A preview token is forged, expired or revoked."""


class DraftRefused(Exception):
    """Unsaved text that cannot be kept: too large, or sent too often."""

    def __init__(self, message: str, *, retry_after: int = 0):
        super().__init__(message)
        self.retry_after = retry_after
