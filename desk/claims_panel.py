"""The claims panel of the writing surface: the story's claims beside its text,
one claim edited at a time, and what a pending edit would do to checked claims.

Admin views (wired in ``desk.admin.ArticleAdmin.get_urls``). Each works
without JavaScript as a page of its own; ``static/js/editor.js`` loads the
same views as fragments (``?fragment=1``) into the change page. Every change
goes through ``factcheck.services`` with the claim's version, so an edit made
on a claim someone changed meanwhile is refused, never a silent revert.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.models import Article
from desk import selectors as desk_selectors
from factcheck import selectors, services
from factcheck.exceptions import ClaimConflict, ClaimError
from factcheck.forms import ClaimAttributionForm, ClaimSplitForm
from factcheck.models import Claim

# How the panel asks for itself again while claims are being proposed.
PENDING_POLL_MS = 1500
IDLE_POLL_MS = 20000


def _article(model_admin, request, pk) -> Article:
    article = get_object_or_404(Article.objects.select_related("section"), pk=pk)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied("You may not see this story.")
    return article


def _fragment(request) -> bool:
    return request.GET.get("fragment") == "1" or request.POST.get("fragment") == "1"


def panel_context(request, article: Article) -> dict:
    """What the claims panel shows: also used by the change page's first render."""
    rows = selectors.claims_panel(article.pk)
    given_up = desk_selectors.proposal_given_up(article)
    waiting = article.claims_pending and not given_up
    return {
        "article": article,
        "panel_claims": rows,
        "panel_live_count": sum(1 for row in rows if row.state != "dismissed"),
        "claims_pending": article.claims_pending,
        "proposal_given_up": given_up,
        "can_edit_claims": request.user.has_perm("factcheck.change_claim"),
        "poll_ms": PENDING_POLL_MS if waiting else IDLE_POLL_MS,
    }


def panel_view(model_admin, request, pk):
    """The panel: a fragment for the change page's polling, or a page."""
    article = _article(model_admin, request, pk)
    context = panel_context(request, article)
    if _fragment(request):
        return TemplateResponse(
            request, "admin/articles/article/_claims_panel.html", context
        )
    return TemplateResponse(
        request,
        "admin/articles/article/claims.html",
        {
            **model_admin.admin_site.each_context(request),
            **context,
            "opts": Article._meta,
            "original": article,
            "title": f"Claims of “{article}”",
        },
    )


def _edit_response(
    model_admin, request, article, claim, form, split_form, status, problem=""
):
    context = {
        "problem": problem,
        "article": article,
        "claim": claim,
        "form": form,
        "split_form": split_form,
        "next_claim": _neighbour(claim),
        "fragment": _fragment(request),
    }
    if context["fragment"]:
        return TemplateResponse(
            request, "admin/articles/article/_claim_edit.html", context, status=status
        )
    return TemplateResponse(
        request,
        "admin/articles/article/claim_edit.html",
        {
            **model_admin.admin_site.each_context(request),
            **context,
            "opts": Article._meta,
            "original": article,
            "title": "Fix a claim",
        },
        status=status,
    )


def _neighbour(claim: Claim) -> Claim | None:
    """The next live claim in the text: what "merge with the next" takes in."""
    return (
        Claim.objects.filter(article_id=claim.article_id, start__gte=claim.end)
        .exclude(anchor=Claim.Anchor.DETACHED)
        .exclude(review=Claim.Review.DISMISSED)
        .order_by("start")
        .first()
    )


def claim_edit_view(model_admin, request, pk, claim_id):
    """One claim: fix its kind or speaker, split it, merge it with the next
    claim, or dismiss it."""
    article = _article(model_admin, request, pk)
    claim = get_object_or_404(
        Claim.objects.select_related("speaker", "channel"), pk=claim_id, article=article
    )
    if not request.user.has_perm("factcheck.change_claim"):
        raise PermissionDenied("Your role does not change claims.")
    form = ClaimAttributionForm(instance=claim, prefix="claim")
    split_form = ClaimSplitForm(claim=claim, prefix="split")
    if request.method != "POST":
        return _edit_response(
            model_admin, request, article, claim, form, split_form, 200
        )
    action = request.POST.get("action", "correct")
    seen = request.POST.get("claim-seen_version", "")
    version = int(seen) if seen.isdigit() else None
    try:
        if action == "dismiss":
            services.claim_dismiss(
                claim_id=claim.pk, actor=request.user, expected_version=version
            )
            done = "Claim dismissed."
        elif action == "merge_next":
            done = _merge_next(request, claim, version)
        elif action == "split":
            split_form = ClaimSplitForm(request.POST, claim=claim, prefix="split")
            if not split_form.is_valid():
                return _edit_response(
                    model_admin, request, article, claim, form, split_form, 400
                )
            services.claim_split(
                claim_id=claim.pk,
                actor=request.user,
                at=split_form.cleaned_data["at"],
                expected_version=version,
            )
            done = "Claim split in two."
        else:
            form = ClaimAttributionForm(request.POST, instance=claim, prefix="claim")
            if not form.is_valid():
                return _edit_response(
                    model_admin, request, article, claim, form, split_form, 400
                )
            data = form.cleaned_data
            services.claim_correct(
                claim_id=claim.pk,
                actor=request.user,
                kind=data["kind"],
                speaker=data["speaker"],
                channel=data["channel"],
                cue=data["cue"],
                expected_version=version,
            )
            done = "Claim saved."
    except ClaimConflict as conflict:
        # The claim as it is now, to decide again against the new version.
        claim = Claim.objects.select_related("speaker", "channel").get(pk=claim.pk)
        form = ClaimAttributionForm(instance=claim, prefix="claim")
        return _edit_response(
            model_admin, request, article, claim, form, split_form, 409, str(conflict)
        )
    except (ClaimError, ValidationError, PermissionDenied) as error:
        problem = " ".join(getattr(error, "messages", [str(error)]))
        status = 403 if isinstance(error, PermissionDenied) else 409
        return _edit_response(
            model_admin, request, article, claim, form, split_form, status, problem
        )
    if _fragment(request):
        return JsonResponse({"done": done})
    messages.success(request, done)
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))


def _merge_next(request, claim: Claim, version: int | None) -> str:
    following = _neighbour(claim)
    if following is None:
        raise ClaimError("There is no later claim in the text to merge with.")
    seen_next = request.POST.get("next_version", "")
    expected = {claim.pk: version} if version is not None else {}
    if seen_next.isdigit():
        expected[following.pk] = int(seen_next)
    services.claim_merge(
        claim_ids=[claim.pk, following.pk],
        actor=request.user,
        expected_versions=expected or None,
    )
    return "Claims merged."


def edit_preview_view(model_admin, request, pk):
    """What saving the posted body would do to checked claims (JSON), so the
    editor is told before the save: "saving this reopens the claim checked
    by …". Reads only."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = _article(model_admin, request, pk)
    body = request.POST.get("body", "").replace("\r\n", "\n")
    consequences = selectors.claims_affected_by(article, body)
    return JsonResponse(
        {
            "warnings": [
                {
                    "claim": item.claim.pk,
                    "outcome": item.outcome,
                    "text": item.claim.text,
                    "message": (
                        f"Saving this {item.outcome} the claim checked by "
                        f"{item.checked_by or 'a fact-checker'}: "
                        f"“{item.claim.text[:120]}”"
                    ),
                }
                for item in consequences
            ]
        }
    )
