"""Article edit forms, shared by the admin and the desk pages."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.content import ArticleContent
from articles.models import Article, PreviewLink
from articles.permissions import byline_refusal, writers


def newsroom_zone() -> str:
    """The newsroom's time zone as people read it: "Asia/Seoul, UTC+09:00".

    Every date and time on the editing pages is entered and shown in it."""
    now = timezone.localtime()
    offset = now.strftime("%z")
    return f"{timezone.get_current_timezone_name()}, UTC{offset[:3]}:{offset[3:]}"


def staff_name(user) -> str:
    """How a byline choice reads: "Jane Kim (jkim)", unique by the username."""
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


class BylineWidget(forms.Widget):
    """One text box per byline, in credit order, each searching the staff by
    name (a ``<datalist>``: the browser's own accessible suggestion list).

    Without JavaScript two empty boxes follow the credited names; with it, an
    "Add a byline" button adds more (``static/js/editor.js``)."""

    template_name = "articles/widgets/bylines.html"
    spare = 2

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = []

    def render(self, name, value, attrs=None, renderer=None):
        # From the project's templates folder, which the form renderer skips.
        context = self.get_context(name, value, attrs)
        return mark_safe(render_to_string(self.template_name, context))

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name, [])

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def format_value(self, value):
        return [v if isinstance(v, str) else staff_name(v) for v in value or []]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id", f"id_{name}")
        names = [*context["widget"]["value"], *[""] * self.spare]
        context["widget"]["boxes"] = [
            {"id": f"{base_id}_{i}" if i else base_id, "value": value, "number": i + 1}
            for i, value in enumerate(names)
        ]
        context["widget"]["list_id"] = f"{base_id}_names"
        context["widget"]["choices"] = [staff_name(u) for u in self.choices.all()]
        return context


class BylineField(forms.Field):
    """Staff credited on a story, in the order the editor typed them."""

    widget = BylineWidget
    _USERNAME = re.compile(r"\(([^()]+)\)\s*$")

    def __init__(self, *, queryset, **kwargs):
        super().__init__(**kwargs)
        self.queryset = queryset

    @property
    def queryset(self):
        return self._queryset

    @queryset.setter
    def queryset(self, queryset):
        self._queryset = self.widget.choices = queryset

    def prepare_value(self, value):
        return value

    def to_python(self, value) -> list:
        names = [v.strip() for v in value or [] if v and v.strip()]
        if not names:
            return []
        staff = list(self.queryset.all())
        by_username = {user.get_username().casefold(): user for user in staff}
        users = []
        for name in names:
            user = self._find(name, staff, by_username)
            if user in users:
                raise forms.ValidationError(f"{staff_name(user)} is credited twice.")
            users.append(user)
        return users

    def _find(self, name: str, staff: list, by_username: dict):
        match = self._USERNAME.search(name)
        if match and match.group(1).strip().casefold() in by_username:
            return by_username[match.group(1).strip().casefold()]
        if name.casefold() in by_username:
            return by_username[name.casefold()]
        named = [u for u in staff if u.get_full_name().casefold() == name.casefold()]
        if len(named) == 1:
            return named[0]
        raise forms.ValidationError(
            f"No one on the staff is called “{name}”"
            + (" more than once" if named else "")
            + ": pick a name from the suggestions."
        )

    def has_changed(self, initial, data) -> bool:
        try:
            chosen = self.to_python(data)
        except forms.ValidationError:
            return True
        return [u.pk for u in initial or []] != [u.pk for u in chosen]


class ArticleForm(forms.ModelForm):
    """Edits an article's content. ``base_revision`` carries the revision the
    form was opened at, so a concurrent save is detected instead of lost."""

    # Not "authors": that model field has a through table (credit order) and
    # the service saves it.
    byline_users = BylineField(
        queryset=writers()
        .filter(is_staff=True)
        .order_by("first_name", "last_name", "username"),
        required=False,
        label="Bylines",
        help_text="Type a name; the first byline is credited first. Only "
        "writers can be credited: yourself, or others once an editor confirms.",
    )
    # Declared, so that the admin keeps this one box (its own default is two).
    embargo_until = forms.DateTimeField(
        required=False,
        label="Embargo until",
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        help_text=Article._meta.get_field("embargo_until").help_text,
    )
    # Who is saving (the admin binds it per request): the byline rule depends on it.
    actor = None
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    summary = forms.CharField(
        required=False,
        max_length=300,
        label="What changed?",
        help_text="Optional note kept with the revision.",
    )

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "dek",
            "section",
            "story_date",
            "dateline",
            "contributor_credit",
            "tags",
            "embargo_until",
            "lead_image",
            "body",
        ]
        widgets = {
            "story_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
            "dek": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor or self.actor
        # Leading spaces are Markdown (an indented code block, a nested list).
        if "body" in self.fields:  # not when the admin shows it read-only
            self.fields["body"].strip = False
        embargo = self.fields["embargo_until"]
        embargo.help_text = f"{embargo.help_text} Newsroom time ({newsroom_zone()})."
        if self.instance.pk:
            self.fields["base_revision"].initial = self.instance.current_revision_id
            bylines = self.fields["byline_users"]
            bylines.initial = [
                byline.user for byline in self.instance.bylines.select_related("user")
            ]
            # Someone who has left the staff stays credited on their stories.
            bylines.queryset = bylines.queryset | get_user_model().objects.filter(
                pk__in=[user.pk for user in bylines.initial]
            )

    def clean_byline_users(self):
        users = self.cleaned_data["byline_users"]
        if self.actor is not None:
            already = (
                list(self.instance.bylines.values_list("user_id", flat=True))
                if self.instance.pk
                else []
            )
            refusal = byline_refusal(
                actor=self.actor, credited=[u.pk for u in users], already=already
            )
            if refusal and [u.pk for u in users] != already:
                raise forms.ValidationError(refusal)
        return users

    def to_content(self) -> ArticleContent:
        data = self.cleaned_data
        return ArticleContent(
            headline=data["headline"],
            slug=data["slug"],
            section_id=data["section"].pk,
            story_date=data["story_date"],
            dek=data.get("dek", ""),
            body=data.get("body", "").replace("\r\n", "\n"),
            dateline=data.get("dateline", ""),
            contributor_credit=data.get("contributor_credit", ""),
            embargo_until=data.get("embargo_until"),
            lead_image_id=data["lead_image"].pk if data.get("lead_image") else None,
            author_ids=tuple(user.pk for user in data.get("byline_users", [])),
            tag_ids=tuple(sorted(tag.pk for tag in data.get("tags", []))),
        )


class PreviewLinkForm(forms.ModelForm):
    class Meta:
        model = PreviewLink
        fields = ["note", "expires_at"]
        widgets = {
            "expires_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_at"].help_text = f"Newsroom time ({newsroom_zone()})."

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at <= timezone.now():
            raise forms.ValidationError("Choose a time in the future.")
        return expires_at
