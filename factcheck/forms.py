"""Forms of the fact-check admin."""

from django import forms

from articles.models import Article
from factcheck.models import Claim, Source


class SourceMergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Source.objects.all(), label="Keep this source"
    )


class ClaimAddForm(forms.Form):
    """A claim by hand: the editor pastes the exact words from the body."""

    article = forms.ModelChoiceField(queryset=Article.objects.all())
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Paste the exact words from the article body.",
    )
    occurrence = forms.IntegerField(
        min_value=1,
        initial=1,
        help_text="If the words appear more than once, which one.",
    )
    kind = forms.ChoiceField(
        choices=Claim.Kind.choices, initial=Claim.Kind.UNATTRIBUTED
    )
    speaker = forms.ModelChoiceField(queryset=Source.objects.all(), required=False)
    channel = forms.ModelChoiceField(queryset=Source.objects.all(), required=False)
    cue = forms.CharField(required=False, max_length=100)

    def clean(self):
        data = super().clean()
        article, text = data.get("article"), (data.get("text") or "").strip()
        if article is None or not text:
            return data
        start, found = -1, 0
        while found < data.get("occurrence", 1):
            start = article.body.find(text, start + 1)
            if start == -1:
                raise forms.ValidationError(
                    "These words are not in the article body (as many times)."
                )
            found += 1
        data["start"], data["end"] = start, start + len(text)
        return data


class ClaimSplitForm(forms.Form):
    second_part_starts_with = forms.CharField(
        max_length=200, help_text="The first words of the second claim, as in the text."
    )

    def __init__(self, *args, claim: Claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim

    def clean_second_part_starts_with(self):
        words = self.cleaned_data["second_part_starts_with"].strip()
        at = self.claim.text.find(words, 1)
        if at <= 0:
            raise forms.ValidationError(
                "These words do not start a later part of the claim."
            )
        self.cleaned_data["at"] = at
        return words


class ClaimAttributionForm(forms.ModelForm):
    """Edits a claim's attribution in the admin; the save goes through
    ``factcheck.services.claim_correct``, so the rule is checked here first."""

    # The version the form was built from: saving over a colleague's later
    # change is refused (``ClaimConflict``), never a silent revert.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Claim
        fields = ["kind", "speaker", "channel", "cue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.has_changed():
            problem = Claim.attribution_problem(
                data.get("kind"), data.get("speaker"), data.get("channel")
            )
            if problem:
                raise forms.ValidationError(problem)
        return data
