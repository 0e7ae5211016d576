"""Desk forms, rendered with crispy-forms (Bootstrap 5)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.forms import newsroom_zone
from articles.models import Article
from desk.selectors import QUEUE_ORDERS
from factcheck import links
from factcheck.models import Claim, Source
from newsroom.hygiene import validate_sane_date

DATETIME_WIDGET = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)


def fact_checkers():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__permissions__codename="review_claim")
        .distinct()
        .order_by("username")
    )


class QueueFilterForm(forms.Form):
    story = forms.ModelChoiceField(
        queryset=Article.objects.exclude(
            status__in=[Article.Status.RETRACTED]
        ).order_by("headline"),
        required=False,
        empty_label="Any story",
    )
    source = forms.ModelChoiceField(
        queryset=Source.objects.all(), required=False, empty_label="Any source"
    )
    kind = forms.ChoiceField(
        choices=[("", "Any kind"), *Claim.Kind.choices], required=False
    )
    assignee = forms.ChoiceField(required=False)
    older_than_hours = forms.IntegerField(
        min_value=1, max_value=24 * 365, required=False, label="Waiting over (hours)"
    )
    order = forms.ChoiceField(choices=QUEUE_ORDERS, required=False, label="Order")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            ("", "Anyone"),
            ("me", "Me"),
            ("none", "Unassigned"),
            *(
                (str(u.pk), u.get_full_name() or u.get_username())
                for u in fact_checkers()
            ),
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-lg-auto g-2 align-items-end"
        self.helper.add_input(Submit("", "Filter", css_class="btn-secondary"))


class ReviewForm(forms.Form):
    attribution = forms.ChoiceField(
        choices=Claim.Attribution.choices,
        widget=forms.RadioSelect,
        help_text="Did the source really say this? For state media, “confirmed” "
        "means the "
        "outlet did report it, not that it is true.",
    )
    veracity = forms.ChoiceField(
        choices=Claim.Veracity.choices,
        widget=forms.RadioSelect,
        help_text="Is it true? Use “unverifiable” when nobody can independently "
        "check it.",
    )
    public_explanation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Shown to readers with the verdict.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Internal note",
        help_text="Never shown to readers.",
    )
    evidence_title = forms.CharField(max_length=300, required=False)
    evidence_url = forms.URLField(
        max_length=1000,
        required=False,
        assume_scheme="https",
        label="Evidence URL",
        validators=[links.validate_public_url],
        help_text="A public web page (http or https) readers can open.",
    )
    evidence_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    original_language = forms.CharField(max_length=35, required=False)
    original_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="The source's own words, in their language.",
    )
    translation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="The newsroom's translation.",
    )
    # The sentence as the fact-checker read it: a decision on text edited
    # meanwhile is refused.
    reviewed_text = forms.CharField(widget=forms.HiddenInput, strip=False)
    # The claim's version when the page was built: a colleague's decision in
    # between is shown, never silently replaced.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    evidence_public = forms.BooleanField(
        required=False, initial=True, label="Readers may see this evidence"
    )

    EVIDENCE_FIELDS = (
        "evidence_title",
        "evidence_url",
        "evidence_note",
        "original_text",
        "translation",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "review-form"
        self.helper.layout = Layout(
            "attribution",
            "veracity",
            "public_explanation",
            "note",
            "reviewed_text",
            "version",
            Fieldset(
                "Evidence (optional)",
                "evidence_title",
                "evidence_url",
                "evidence_note",
                "original_language",
                "original_text",
                "translation",
                "evidence_public",
            ),
        )
        self.helper.add_input(Submit("review", "Record decision"))

    def clean(self):
        data = super().clean()
        if any(data.get(f) for f in self.EVIDENCE_FIELDS) and not data.get(
            "evidence_title"
        ):
            self.add_error("evidence_title", "Give the evidence a title.")
        if data.get("original_text") and not data.get("translation"):
            self.add_error(
                "translation", "Give the newsroom's translation beside the original."
            )
        return data

    def evidence(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("evidence_title"):
            return []
        return [
            {
                "title": data["evidence_title"],
                "url": data["evidence_url"],
                "note": data["evidence_note"],
                "original_language": data["original_language"],
                "original_text": data["original_text"],
                "translation": data["translation"],
                "public": data["evidence_public"],
            }
        ]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    due_at = forms.DateTimeField(
        required=False,
        widget=DATETIME_WIDGET,
        label="Due",
        validators=[validate_sane_date],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = fact_checkers()
        self.helper = FormHelper()
        self.helper.form_tag = False  # The page wraps it with the assignment URL.
        self.helper.add_input(Submit("assign", "Assign", css_class="btn-secondary"))


class TransitionForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Reason or note"
    )
    publish_at = forms.DateTimeField(
        required=False, widget=DATETIME_WIDGET, validators=[validate_sane_date]
    )
    claims = forms.ModelMultipleChoiceField(
        queryset=Claim.objects.none(),
        required=False,
        help_text="Claims a correction concerns.",
    )

    def __init__(self, *args, article: Article, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claims"].queryset = article.claims.all()
        self.fields["publish_at"].help_text = f"Newsroom time ({newsroom_zone()})."

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value is not None and value < timezone.now():
            raise forms.ValidationError("Choose a time that is not in the past.")
        return value
