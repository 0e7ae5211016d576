"""The reader's "report an error" form, with two cheap spam defences: a field
people never see (bots fill it) and a signed time stamp (a form sent back in
under a few seconds, or days later, was not filled in by a person reading)."""

import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.core import signing

MIN_SECONDS, MAX_SECONDS = 3, 24 * 3600
_SALT = "reader.report-error"


class ErrorReportForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        min_length=10,
        label="What is wrong?",
        help_text="Quote the sentence and tell us what is wrong and how you know.",
    )
    claim = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Which claim (optional)"
    )
    name = forms.CharField(max_length=200, required=False, label="Your name (optional)")
    email = forms.EmailField(
        required=False, label="Email, if you want a reply (optional)"
    )
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, claims=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].choices = [("", "Not about one claim")] + [
            (str(n), f"{n}. {claim.text[:90]}")
            for n, claim in enumerate(claims, start=1)
        ]
        self.claims = list(claims)
        self.fields["started"].initial = signing.dumps(time.time(), salt=_SALT)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "message",
            "claim",
            "name",
            "email",
            Div("website", css_class="visually-hidden", aria_hidden="true"),
            "started",
        )
        self.helper.add_input(Submit("send", "Send report"))

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError("Please leave this field empty.")
        return ""

    def clean(self):
        # The stamp is a hidden field: its problems are the form's, shown above
        # it, so a refused report always says why (and keeps what was typed).
        data = super().clean()
        try:
            started = float(signing.loads(self.data.get("started", ""), salt=_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            self._restamp()
            raise forms.ValidationError(
                "This form could not be checked. Please check your report and "
                "send it again; nothing you typed is lost."
            ) from None
        waited = time.time() - started
        if waited < MIN_SECONDS:
            raise forms.ValidationError(
                "Your report was sent within a few seconds of opening the form, "
                "which is how spam robots send it. Please check it and send it "
                "again; nothing you typed is lost."
            )
        if waited > MAX_SECONDS:
            self._restamp()
            raise forms.ValidationError(
                "This form was opened more than a day ago. Please check your report "
                "and send it again; nothing you typed is lost."
            )
        return data

    def _restamp(self) -> None:
        """The form shown again carries a fresh stamp, so sending it works."""
        self.data = self.data.copy()
        self.data["started"] = self.fields["started"].initial

    def clean_claim(self):
        number = self.cleaned_data["claim"]
        if number is None:
            return None
        if not 1 <= number <= len(self.claims):
            raise forms.ValidationError("Pick a claim from the list.")
        return self.claims[number - 1]
