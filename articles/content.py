"""The editable content of an article, as one value.

Services take and revisions store exactly these fields, so "what changed" and
"restore" have one definition.
"""

import datetime
from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class ArticleContent:
    headline: str
    slug: str
    section_id: int
    story_date: datetime.date
    dek: str = ""
    body: str = ""
    dateline: str = ""
    contributor_credit: str = ""
    embargo_until: datetime.datetime | None = None
    lead_image_id: int | None = None
    author_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()

    # The fields stored directly on Article and ArticleRevision (not the m2m lists).
    SCALAR_FIELDS = (
        "headline",
        "slug",
        "section_id",
        "story_date",
        "dek",
        "body",
        "dateline",
        "contributor_credit",
        "embargo_until",
        "lead_image_id",
    )

    @classmethod
    def of_revision(cls, revision) -> "ArticleContent":
        return cls(
            **{name: getattr(revision, name) for name in cls.SCALAR_FIELDS},
            author_ids=tuple(revision.author_ids),
            tag_ids=tuple(revision.tag_ids),
        )

    def scalar_values(self) -> dict:
        return {name: getattr(self, name) for name in self.SCALAR_FIELDS}

    def changed_fields(self, other: "ArticleContent") -> list[str]:
        return [
            f.name
            for f in fields(self)
            if getattr(self, f.name) != getattr(other, f.name)
        ]

    def as_dict(self) -> dict:
        return asdict(self)
