"""The README's Roles tables, ``desk/roles.py`` and what each role can really
do in the admin agree (issue #12, item 3)."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from desk.models import ErrorReport
from desk.roles import ROLE_PERMISSIONS
from factcheck import services
from factcheck.models import Claim, Source, SourceRole
from tests.conftest import PROJECT_DIR
from tests.factories import SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def readme_role_permissions() -> dict[str, set[str]]:
    """The "role | permissions" table of the README's "## Roles" section."""
    text = (PROJECT_DIR / "README.md").read_text()
    section = text.split("\n## Roles\n", 1)[1].split("\n## ", 1)[0]
    table = section.split("| role | permissions |", 1)[1].split("\n\n", 1)[0]
    roles = {}
    for row in table.strip().splitlines()[1:]:
        role, permissions = (cell.strip() for cell in row.strip("|").split("|"))
        roles[role.strip("`")] = set(re.findall(r"`([a-z_]+\.[a-z_]+)`", permissions))
    return roles


def test_the_readme_names_every_role_and_only_them():
    assert set(readme_role_permissions()) == set(ROLE_PERMISSIONS)


@pytest.mark.parametrize("role", sorted(ROLE_PERMISSIONS))
def test_each_role_holds_exactly_the_permissions_the_readme_lists(role):
    documented = readme_role_permissions()[role]
    group = Group.objects.get(name=role)  # as the migrations left it
    held = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }
    assert held == documented
    assert set(ROLE_PERMISSIONS[role]) == documented
    user = UserFactory(username=f"someone-{role}", role=role)
    assert user.get_all_permissions() == documented


def _offered_actions(changelist) -> set[str]:
    form = changelist.context["action_form"]
    return set() if form is None else {n for n, _ in form.fields["action"].choices}


def _change_data(source: Source, **overrides) -> dict:
    data = {
        "name": source.name,
        "kind": source.kind,
        "description": source.description,
        "confirmed": "on",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_fact_checkers_neither_add_nor_change_sources(client, factchecker):
    source = SourceFactory(name="Real Name", protected=True, description="A witness")
    client.force_login(factchecker)
    assert client.get(reverse("admin:factcheck_source_add")).status_code == 403
    url = reverse("admin:factcheck_source_change", args=[source.pk])
    assert client.get(url).status_code == 200  # read only
    response = client.post(url, _change_data(source, protected=""))
    assert response.status_code == 403
    source.refresh_from_db()
    assert source.protected


def test_fact_checkers_do_not_dismiss_merge_or_change_claims_in_the_admin(
    client, factchecker, submit_story
):
    article = submit_story("Officials said the launch failed. The sea was calm.")
    first, second = article.claims.order_by("start")
    client.force_login(factchecker)
    url = reverse("admin:factcheck_claim_changelist")
    page = client.get(url)
    assert page.status_code == 200
    assert not _offered_actions(page) & {
        "dismiss_claims",
        "merge_claims",
        "accept_claims",
    }
    client.post(url, {"action": "dismiss_claims", "_selected_action": [first.pk]})
    client.post(
        url, {"action": "merge_claims", "_selected_action": [first.pk, second.pk]}
    )
    change = reverse("admin:factcheck_claim_change", args=[first.pk])
    assert client.post(change, {"kind": Claim.Kind.UNATTRIBUTED}).status_code == 403
    assert client.get(reverse("admin:factcheck_claim_add")).status_code == 403
    assert (
        sorted(Claim.objects.filter(article=article).values_list("review", flat=True))
        == [Claim.Review.UNREVIEWED] * 2
    )


def test_merging_sources_takes_the_delete_permission(client, db):
    changer = UserFactory(username="changer")
    changer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="factcheck",
            codename__in=["view_source", "change_source"],
        )
    )
    keep, duplicate = SourceFactory(), SourceFactory()
    client.force_login(changer)
    url = reverse("admin:factcheck_source_changelist")
    assert "merge_sources" not in _offered_actions(client.get(url))
    client.post(
        url,
        {
            "action": "merge_sources",
            "_selected_action": [keep.pk, duplicate.pk],
            "keep": keep.pk,
        },
    )
    assert Source.objects.filter(pk=duplicate.pk).exists()


def test_editors_edit_a_sources_role_titles(client, editor):
    source = SourceFactory(name="Kim Yo Jong")
    client.force_login(editor)
    url = reverse("admin:factcheck_source_change", args=[source.pk])
    assert client.get(url).status_code == 200
    data = _change_data(
        source,
        **{
            "roles-TOTAL_FORMS": "1",
            "roles-0-title": "Vice department director",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert SourceRole.objects.get(source=source).title == "Vice department director"


@pytest.mark.parametrize("persona", ["editor", "publisher", "factchecker"])
def test_the_standards_desk_reads_error_reports_in_the_admin(
    client, request, persona, reporter
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("admin:desk_errorreport_changelist")).status_code == 200
    client.force_login(reporter)
    assert client.get(reverse("admin:desk_errorreport_changelist")).status_code == 403
    assert ErrorReport.objects.count() == 0


def test_the_claim_services_refuse_fact_checkers_whatever_the_caller(
    factchecker, submit_story
):
    article = submit_story("Officials said the launch failed. The sea was calm.")
    first, second = article.claims.order_by("start")
    attempts = [
        lambda: services.claim_accept(claim_id=first.pk, actor=factchecker),
        lambda: services.claim_dismiss(claim_id=first.pk, actor=factchecker),
        lambda: services.claim_merge(
            claim_ids=[first.pk, second.pk], actor=factchecker
        ),
        lambda: services.claim_split(claim_id=first.pk, actor=factchecker, at=9),
        lambda: services.claim_correct(
            claim_id=first.pk,
            actor=factchecker,
            kind=Claim.Kind.UNATTRIBUTED,
            speaker=None,
            channel=None,
        ),
        lambda: services.claim_create(
            article_id=article.pk, actor=factchecker, start=0, end=9
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="Only editors change claims"):
            attempt()
    assert article.claims.count() == 2
    assert set(article.claims.values_list("review", flat=True)) == {
        Claim.Review.UNREVIEWED
    }
