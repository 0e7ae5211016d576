"""factory_boy factories for the whole suite."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from articles.content import ArticleContent
from articles.models import Section, Tag
from desk.roles import sync_roles
from factcheck.models import Claim, Source


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.test")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            if not Group.objects.filter(name=extracted).exists():
                # A transactional test's flush empties the groups the migration made.
                sync_roles(Group, Permission)
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Source {n}")
    kind = Source.Kind.OFFICIAL


def article_content(**overrides) -> ArticleContent:
    """Valid content for a new article; overrides replace fields."""
    values = {
        "headline": "Missiles launched toward sea",
        "slug": "missiles-launched",
        "section_id": overrides.pop("section", None) or SectionFactory().pk,
        "story_date": datetime.date(2026, 1, 4),
        "body": "The military said it detected a launch.\n\n"
        "Experts say more tests are likely.",
    }
    values.update(overrides)
    return ArticleContent(**values)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    paragraph = 0
    start = 0
    end = factory.LazyAttribute(lambda c: c.start + len(c.text))
    text = "A claim."
