"""Issue #12, the bar: hostile values in every form and query parameter.

Hypothesis sends random Unicode, control characters, NUL, huge and empty
values to every text field of every form the staff and the public can open,
and to every query parameter the public pages read and the admin's lists
filter on: never a 500, and what a form saved is what it accepted (only the
documented stripping of control characters, and of surrounding whitespace
where the field strips it, the Markdown body excepted).

The forms are found, not listed: every model admin's add page and list (its
search and the parameters of its filter links) and autocomplete fields, every
page of the desk's URLconf opened on the demo story, and every public view
that declares the query it reads (``cached_public_page(query=...)``). Each
target is read off its page as a browser would submit it, with required
choices picked, so that a value the form takes is saved and checked.
"""

import dataclasses
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django import forms
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article
from desk.demo_loader import load_demo
from factcheck.models import Claim, Source
from newsroom.hygiene import strip_control_characters
from tests.reader.conftest import publish_reviewed

pytestmark = pytest.mark.django_db

EXAMPLES = 120  # hypothesis's, after one sweep of every target with SWEEP
SWEEP = "\x00a\x07 <b>'&\u2028é한\x1b[0m\x85 \t"
_CONTROLS = "".join(map(chr, [*range(0x20), *range(0x7F, 0xA0)]))
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(st.sampled_from(_CONTROLS + "a \u2028\ufeff\u202e'\"<&é한"), max_size=40),
    st.just(""),
    st.just("\x00"),
    st.text(min_size=1, max_size=4).map(lambda s: s * 3_000),  # huge
    st.sampled_from(["0", "-1", "99999999999999999999", "١٢", "1_1", "+1", "null"]),
)


@dataclasses.dataclass(frozen=True)
class Target:
    method: str
    url: str
    data: tuple[tuple[str, tuple[str, ...]], ...]
    field: str
    model: type | None = None  # an admin add form: what it saves is checked

    def payload(self, value: str) -> dict[str, list[str]]:
        data = {name: list(values) for name, values in self.data}
        data[self.field] = [value]
        return data


class _PageForms(HTMLParser):
    """Every form of a page: method, action, what it submits, its text fields."""

    TEXT_INPUTS = {"text", "search", "email", "url", "number", "hidden", "tel", ""}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").upper(),
                "action": attrs.get("action") or "",
                "data": {},
                "text": [],
            }
            self.forms.append(self._form)
        if self._form is None or not attrs.get("name", "x"):
            return
        name, data = attrs.get("name"), self._form["data"]
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    data.setdefault(name, []).append(attrs.get("value", "on"))
                return
            data.setdefault(name, []).append(attrs.get("value", ""))
            if kind in self.TEXT_INPUTS and name != "csrfmiddlewaretoken":
                self._form["text"].append(name)
        elif tag == "textarea" and name:
            self._textarea, data[name] = name, [""]
            self._form["text"].append(name)
        elif tag == "select" and name:
            self._select = name
            data.setdefault(name, [])
        elif tag == "option" and self._select:
            chosen = data[self._select]
            value = attrs.get("value", "")
            # A choice is picked for required selects ("---------" is empty).
            if (value and ("selected" in attrs or not any(chosen))) or not chosen:
                data[self._select] = [value]

    def handle_data(self, text):
        if self._textarea:
            self._form["data"][self._textarea][0] += text

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            value = self._form["data"][self._textarea][0]
            self._form["data"][self._textarea] = [value.removeprefix("\n")]
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def _frozen(data: dict) -> tuple:
    return tuple((name, tuple(values)) for name, values in data.items())


def _form_targets(client, url: str, model=None, filled=()) -> list[Target]:
    """Every text field of every form on the page at ``url``; ``filled``: required
    text fields given a plain value, so that a form can save."""
    response = client.get(url)
    assert response.status_code == 200, url
    reader = _PageForms()
    reader.feed(response.content.decode())
    targets = []
    for form in reader.forms:
        action = form["action"] or url
        if urlsplit(action).netloc or "logout" in action:
            continue
        for name in filled:
            if form["data"].get(name) in ([], [""]):
                form["data"][name] = [f"fuzz-{name}"]
        targets += [
            Target(form["method"], action, _frozen(form["data"]), field, model)
            for field in form["text"]
            if field not in {"base_revision", "version", "seen_version", "started"}
        ]
    return targets


def _admin_targets(client) -> list[Target]:
    targets = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        response = client.get(changelist)
        assert response.status_code == 200, changelist
        # The list's search and the parameters of its filter links.
        params = {"q"} if model_admin.search_fields else set()
        reader = _Links()
        reader.feed(response.content.decode())
        params |= {key for href in reader.hrefs for key, _ in parse_qsl(href[1:])}
        targets += [Target("GET", changelist, (), param) for param in sorted(params)]
        for field in model_admin.autocomplete_fields:
            base = {"app_label": [info[0]], "model_name": [info[1]]}
            base["field_name"] = [field]
            url = reverse("admin:autocomplete")
            targets.append(Target("GET", url, _frozen(base), "term"))
        request = _request_of(client)
        if model_admin.has_add_permission(request):
            add = reverse("admin:{}_{}_add".format(*info))
            fields = model_admin.get_form(request)().fields
            filled = [
                name
                for name, field in fields.items()
                if field.required and type(field) in (forms.CharField, forms.SlugField)
            ]
            targets += _form_targets(client, add, model, filled)
    return targets


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("?"):
            self.hrefs.append(href)


def _request_of(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = client.session_user
    return request


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _desk_targets(client, story: Article, claim: Claim, source: Source) -> list:
    """Every desk page (its URLconf) opened on the demo's story, claim, source."""
    ids = {"claims": claim.pk, "stories": story.pk, "sources": source.pk}
    targets = []
    for route, _pattern in _patterns(get_resolver()):
        if not (
            route.startswith("desk/") or route.endswith("<path:object_id>/change/")
        ):
            continue
        url = "/" + route
        for kind, pk in ids.items():
            url = url.replace(f"{kind}/<int:pk>", f"{kind}/{pk}")
        if route.startswith("admin/"):
            if not route.startswith("admin/articles/article/"):
                continue
            url = url.replace("<path:object_id>", str(story.pk))
        if "<" in url:
            continue  # an action's own URL: its form is on the page it belongs to
        response = client.get(url)
        if response.status_code == 200 and "<form" in response.content.decode():
            targets += _form_targets(client, url)
    return targets


def _public_targets(story: Article) -> list[Target]:
    targets = []
    for route, pattern in _patterns(get_resolver()):
        for param in sorted(getattr(pattern.callback, "page_query", ())):
            url = "/" + route
            url = url.replace("<slug:slug>", story.section.slug)
            if "<" not in url:
                targets.append(Target("GET", url, (), param))
    targets.append(Target("GET", story.get_absolute_url(), (), "page"))
    return targets


@pytest.fixture
def site(db, settings, django_capture_on_commit_callbacks, admin_user):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    story = publish_reviewed(Article.objects.get())
    staff = Client()
    staff.force_login(admin_user)
    staff.session_user = admin_user
    staff.raise_request_exception = False
    claim = story.claims.first()
    targets = (
        _admin_targets(staff)
        + _desk_targets(staff, story, claim, claim.speaker or Source.objects.first())
        + _public_targets(story)
    )
    report = reverse("reader:report_error", args=[story.pk])
    public = _form_targets(Client(), report)
    return {
        "staff": staff,
        "anonymous": Client(raise_request_exception=False),
        "targets": targets + public,
        "public": set(public),
    }


def _text_fields(model) -> set[str]:
    return {
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField) and not f.choices
    }


def _expected(model, field: str, value: str, staff) -> str:
    model_admin = admin.site._registry[model]
    form_field = model_admin.get_form(_request_of(staff))().fields[field]
    value = strip_control_characters(value)
    return value.strip() if getattr(form_field, "strip", False) else value


def _send(client, target: Target, value: str):
    if target.method == "GET":
        return client.get(target.url, target.payload(value))
    return client.post(target.url, target.payload(value))


def _check(site, target: Target, value: str, checked: list) -> None:
    """One request: never a 500; a saved form kept what it accepted."""
    client = site["anonymous"] if target in site["public"] else site["staff"]
    newest = target.model and target.model.objects.order_by("-pk").first()
    response = _send(client, target, value)
    assert response.status_code < 500, (target, value[:80])
    if target.model is None or response.status_code != 302:
        return
    saved = target.model.objects.order_by("-pk").first()
    if saved == newest or target.field not in _text_fields(target.model):
        return
    stored = getattr(saved, target.field)
    assert stored == _expected(target.model, target.field, value, site["staff"])
    checked.append(target)


def test_hostile_values_never_cause_a_500_nor_a_silent_change(site):
    targets = site["targets"]
    # The forms were found: staff and public, lists and forms, all apps.
    kinds = {(t.method, urlsplit(t.url).path.split("/")[1]) for t in targets}
    assert {("GET", "admin"), ("POST", "admin"), ("GET", "desk")} <= kinds
    assert ("POST", "desk") in kinds and ("POST", "stories") in kinds
    assert {t.field for t in targets if t.url == "/search/"} == {"q", "page"}
    assert len(targets) > 150
    checked = []
    for target in targets:  # every one at least once
        _check(site, target, SWEEP, checked)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(target=st.sampled_from(targets), value=HOSTILE)
    def check(target, value):
        _check(site, target, value, checked)

    check()
    # Forms of several kinds saved what they accepted, and it was compared.
    assert len({t.model for t in checked}) >= 3
