"""Article edit forms, shared by the admin and the desk pages."""

from django import forms
from django.utils import timezone

from articles.content import ArticleContent
from articles.models import Article, PreviewLink
from articles.permissions import byline_refusal, writers


class ArticleForm(forms.ModelForm):
    """Edits an article's content. ``base_revision`` carries the revision the
    form was opened at, so a concurrent save is detected instead of lost."""

    # Not "authors": that model field has a through table (credit order) and
    # the service saves it.
    byline_users = forms.ModelMultipleChoiceField(
        queryset=writers().filter(is_staff=True).order_by("username"),
        required=False,
        label="Bylines",
        help_text="The people who wrote the story. You may credit yourself; an "
        "editor confirms other names.",
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
            "body",
        ]
        widgets = {
            "embargo_until": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "body": forms.Textarea(attrs={"rows": 24}),
            "dek": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor or self.actor
        if self.instance.pk:
            self.fields["base_revision"].initial = self.instance.current_revision_id
            self.fields["byline_users"].initial = [
                byline.user_id for byline in self.instance.bylines.all()
            ]

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

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at <= timezone.now():
            raise forms.ValidationError("Choose a time in the future.")
        return expires_at
