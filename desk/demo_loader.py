"""The demo newsroom: accounts, sections, the source registry and the seed story.

Data files live in ``desk/demo/``; loading is idempotent (everything is
looked up by a natural key before it is created).
"""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify

from articles.content import ArticleContent
from articles.models import Article, Section
from desk import demo_pictures, services, workflow
from desk.roles import sync_roles
from factcheck.extraction import body_start
from factcheck.models import Source, SourceRole
from pictures.images import clean_upload
from pictures.models import Picture
from pictures.services import picture_upload

DATA_DIR = Path(__file__).resolve().parent / "demo"
SEED_ARTICLE = DATA_DIR / "seed" / "2026-01-04-north-korea-missiles.txt"
DEMO_PASSWORD = "newsroom-demo"

# (username, full name, role group, superuser)
DEMO_ACCOUNTS = [
    ("admin", "Ada Admin", None, True),
    ("editor", "Elena Editor", "editor", False),
    ("reporter", "Ravi Reporter", "reporter", False),
    ("factchecker", "Farah Factchecker", "fact-checker", False),
    ("publisher", "Paul Publisher", "publisher", False),
]
SECTIONS = ["World News", "Politics", "Business", "Science", "Opinion"]


@dataclass
class DemoResult:
    accounts: list[str]
    created: dict[str, int]


def _accounts(created: dict[str, int]) -> dict:
    users = {}
    for username, full_name, role, superuser in DEMO_ACCOUNTS:
        first, last = full_name.split(" ", 1)
        user, made = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": True,
                "is_superuser": superuser,
                "email": f"{username}@newsroom.example",
            },
        )
        if made:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created["accounts"] += 1
        if role:
            user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users


def _sections(created: dict[str, int]) -> dict[str, Section]:
    sections = {}
    for position, name in enumerate(SECTIONS):
        slug = slugify(name.removesuffix(" News"))
        sections[name], made = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
        created["sections"] += made
    return sections


def _sources(created: dict[str, int]) -> None:
    for entry in json.loads((DATA_DIR / "sources.json").read_text(encoding="utf-8")):
        source, made = Source.objects.get_or_create(
            name=entry["name"],
            defaults={
                "kind": entry["kind"],
                "country": entry.get("country", ""),
                "affiliation": entry.get("affiliation", ""),
                "description": entry.get("description", ""),
                "aliases": "\n".join(entry.get("aliases", [])),
                "reader_note": entry.get("reader_note", ""),
                "homepage": entry.get("homepage", ""),
            },
        )
        if made and entry.get("role"):
            start = entry.get("role_start")
            SourceRole.objects.create(
                source=source,
                title=entry["role"],
                start=datetime.date.fromisoformat(start) if start else None,
            )
        created["sources"] += made


# The demo's pictures: drawn at load time (desk.demo_pictures), free to use.
_DEMO_RIGHTS = "Drawn for the Newsroom demo: free to use, no fee, no expiry."
DEMO_PICTURES = {
    "map": (
        demo_pictures.launch_map,
        {
            "alt_text": "Schematic map of the Korean Peninsula, the Sea of Japan "
            "and Japan, with a dashed red arc from near Pyongyang to a cross in "
            "the Sea of Japan labelled about 900 km.",
            "caption": "North Korea's missiles flew about 900 kilometers from its "
            "capital region toward the sea, South Korea's military said.",
            "tags": "map, North Korea, missiles, Sea of Japan",
            "focal_x": 0.45,
            "focal_y": 0.35,
        },
    ),
    "timeline": (
        demo_pictures.weapons_timeline,
        {
            "alt_text": "Time line from 25 December to 4 January marking four "
            "events: submarine photos, a cruise missile test, a factory visit "
            "and the ballistic missile launches.",
            "caption": "North Korea released photos of a submarine on Dec. 25, "
            "test-fired cruise missiles on Dec. 28 and launched ballistic "
            "missiles on Jan. 4.",
            "tags": "chart, time line, North Korea, weapons",
        },
    ),
}


def _pictures(admin, created: dict[str, int]) -> dict[str, Picture]:
    pictures = {}
    for name, (draw, fields) in DEMO_PICTURES.items():
        picture = Picture.objects.filter(caption=fields["caption"]).first()
        if picture is None:
            picture = picture_upload(
                actor=admin,
                image=clean_upload(draw()),
                name=f"demo-{name}.png",
                agency="Newsroom graphics",
                rights_note=_DEMO_RIGHTS,
                **fields,
            )
            created["pictures"] += 1
        pictures[name] = picture
    return pictures


def _seed_article(
    users: dict,
    sections: dict[str, Section],
    pictures: dict[str, Picture],
    created: dict[str, int],
) -> None:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    header = [
        line.strip() for line in text[: body_start(text)].splitlines() if line.strip()
    ]
    date_line, headline, dek = header[0], header[1], header[2]
    story_date = datetime.date.fromisoformat(date_line.split()[1])
    section = sections[date_line.split(maxsplit=2)[2]]
    slug = slugify(headline)[:80].rstrip("-")
    if Article.objects.filter(
        section=section, story_date=story_date, slug=slug
    ).exists():
        return
    article = services.article_start(
        actor=users["reporter"],
        content=ArticleContent(
            headline=headline,
            slug=slug,
            section_id=section.pk,
            story_date=story_date,
            dek=dek,
            # The time line closes the story (added at the end, so the seed's
            # own offsets hold); its caption is proposed as a claim.
            body=text[body_start(text) :].strip()
            + "\n\n"
            + pictures["timeline"].markdown,
            lead_image_id=pictures["map"].pk,
            author_ids=(users["reporter"].pk,),
            contributor_credit="Associated Press",
        ),
        summary="Filed from the wire",
    )
    # The demo starts where the review desk does: submitted, claims proposed.
    workflow.article_transition(
        article_id=article.pk, actor=users["reporter"], name="submit"
    )
    created["articles"] += 1


def load_demo() -> DemoResult:
    """Create (or complete) the demo newsroom. Running it twice changes nothing."""
    created = {
        "accounts": 0,
        "sections": 0,
        "sources": 0,
        "pictures": 0,
        "articles": 0,
    }
    with transaction.atomic():
        sync_roles(Group, Permission)
        users = _accounts(created)
        sections = _sections(created)
        _sources(created)
        pictures = _pictures(users["admin"], created)
        _seed_article(users, sections, pictures, created)
    return DemoResult(accounts=[a[0] for a in DEMO_ACCOUNTS], created=created)
