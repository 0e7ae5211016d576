"""Desk pages for reporters, editors, fact-checkers and publishers.

Thin: validate, call one service, respond. Domain errors become a message and
a 403 (not allowed) or 409 (not possible now), never a 500.
"""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from articles import selectors as article_selectors
from articles import services as article_services
from articles.drafts import draft_keep
from articles.exceptions import DraftRefused, EditConflict
from articles.forms import ArticleForm
from articles.merge import choices_from
from articles.models import Article
from articles.permissions import can_edit_article
from desk import comments, selectors, services, workflow
from desk.exceptions import ApprovalBlocked, InvalidTransition, PublicationBlocked
from desk.forms import AssignForm, QueueFilterForm, ReviewForm, TransitionForm
from desk.models import Comment, ErrorReport, Notification
from factcheck.exceptions import ClaimConflict, ClaimError
from factcheck.models import Claim, Source
from factcheck.services import claim_review, claims_propose_again
from factcheck.services import source_confirm as confirm_source
from factcheck.services import source_merge as merge_sources


@staff_member_required
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = selectors.QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            article_id=data["story"].pk if data["story"] else None,
            source_id=data["source"].pk if data["source"] else None,
            kind=data["kind"],
            assignee=data["assignee"],
            older_than_hours=data["older_than_hours"],
            order=data["order"],
        )
    claims = selectors.review_queue(user=request.user, filters=filters)[:500]
    return render(
        request,
        "desk/queue.html",
        {
            "form": form,
            "claims": claims,
            "counts": selectors.queue_counts(user=request.user),
            "evidence_gone": selectors.evidence_pages_gone(),
            "stories": selectors.stories_in_hand(),
            "doubtful_first": filters.order == "doubtful",
            "now": timezone.now(),
        },
    )


def _claim_context(request, claim, review_form=None, assign_form=None):
    return {
        "claim": claim,
        "paragraph": selectors.claim_in_paragraph(claim),
        "speaker_card": selectors.source_record(
            claim.speaker,
            on=claim.article.story_date,
            exclude_article_id=claim.article_id,
        ),
        "channel_card": selectors.source_record(
            claim.channel,
            on=claim.article.story_date,
            exclude_article_id=claim.article_id,
        ),
        "review_form": review_form or ReviewForm(initial=_review_initial(claim)),
        "assign_form": assign_form or AssignForm(),
        "can_review": request.user.has_perm("factcheck.review_claim"),
        "can_assign": request.user.has_perm("factcheck.assign_claim"),
        "last_review": next(iter(claim.reviews.all()), None),
        "next_claim": selectors.next_claim_awaiting_review(claim),
        "now": timezone.now(),
    }


def _review_initial(claim) -> dict:
    initial = {"reviewed_text": claim.text, "version": claim.version}
    if claim.review == Claim.Review.REVIEWED:
        # The decision on record, to read or revise; a claim reopened by an edit
        # starts blank, so its new text is judged afresh.
        initial |= {
            "attribution": claim.attribution,
            "veracity": claim.veracity,
            "public_explanation": claim.public_explanation,
        }
    return initial


@staff_member_required
def claim_detail(request, pk):
    try:
        claim = selectors.claim_page(pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    form = ReviewForm(request.POST or None, initial=_review_initial(claim))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim_review(
                claim_id=claim.pk,
                actor=request.user,
                attribution=data["attribution"],
                veracity=data["veracity"],
                note=data["note"],
                public_explanation=data["public_explanation"],
                evidence=form.evidence(),
                reviewed_text=data["reviewed_text"],
                expected_version=data["version"],
            )
        except PermissionDenied as error:
            messages.error(request, str(error) or "You may not review this claim.")
            return render(
                request,
                "desk/claim_detail.html",
                _claim_context(request, claim, form),
                status=403,
            )
        except ClaimConflict as conflict:
            # Show the claim as it is now; the person's own decision stays in the
            # form, to record again (against the new version) once they have read it.
            messages.error(request, str(conflict))
            claim = selectors.claim_page(pk)
            kept = request.POST.copy()
            kept["reviewed_text"], kept["version"] = claim.text, claim.version
            return render(
                request,
                "desk/claim_detail.html",
                _claim_context(request, claim, ReviewForm(kept)),
                status=409,
            )
        except (ClaimError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return render(
                request,
                "desk/claim_detail.html",
                _claim_context(request, claim, form),
                status=409,
            )
        messages.success(request, "Decision recorded.")
        return redirect("desk:claim", pk=claim.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "desk/claim_detail.html",
        _claim_context(request, claim, form),
        status=status,
    )


def _safe_next(request, name: str = "next", data=None) -> str:
    """The ``name`` address (of the POST, or of ``data``) if it is a path on this
    site (no open redirect; and not a bare word, which ``redirect`` would take
    for a URL name)."""
    target = (request.POST if data is None else data).get(name, "")
    allowed = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


@staff_member_required
@require_POST
def claim_assign(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    seen = request.POST.get("version", "")
    expected = {claim.pk: int(seen)} if seen.isdigit() else None
    if "assign_to_me" in request.POST:
        assignee, due_at = request.user, None
    else:
        form = AssignForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, "Pick a fact-checker (and a due time in the right format)."
            )
            return redirect("desk:claim", pk=claim.pk)
        assignee, due_at = form.cleaned_data["assignee"], form.cleaned_data["due_at"]
    # A refusal is a PermissionDenied: a 403 page that says why.
    try:
        services.claims_assign_and_notify(
            claim_ids=[claim.pk],
            actor=request.user,
            assignee=assignee,
            due_at=due_at,
            expected_versions=expected,
        )
    except ClaimConflict as conflict:
        messages.error(request, str(conflict))
        return redirect("desk:claim", pk=claim.pk)
    messages.success(request, f"Assigned to {assignee.get_full_name() or assignee}.")
    return redirect(_safe_next(request) or "desk:queue")


@staff_member_required
def story(request, pk, form=None, status=200):
    try:
        review = selectors.story_review(article_id=pk, user=request.user)
    except Article.DoesNotExist:
        raise Http404("No such story.") from None
    # A correction names, to begin with, the claims readers see out of date.
    changed = [change.claim.pk for change in review.corrections_needed]
    return render(
        request,
        "desk/story.html",
        {
            "review": review,
            "article": review.article,
            "form": form
            or TransitionForm(article=review.article, initial={"claims": changed}),
            "can_edit": can_edit_article(request.user, review.article),
        },
        status=status,
    )


def _transition_confirm(request, article, transition, form, status=200):
    """The step before an action: what it will do, the reason or time it asks
    for, and, if this user may not take it now, why."""
    gate = workflow.story_gate(article)
    option = next(
        (
            o
            for o in workflow.transition_options(request.user, article, gate)
            if o.transition == transition
        ),
        None,
    )
    return render(
        request,
        "desk/story_confirm.html",
        {
            "article": article,
            "transition": transition,
            "form": form,
            "refusal": option.reason if option else "",
            "applies": option is not None,
            "next": _safe_next(request, data=request.GET),
        },
        status=status,
    )


@staff_member_required
def story_transition(request, pk, name):
    """GET: the confirmation step. POST: take the action."""
    transition = workflow.TRANSITIONS_BY_NAME.get(name)
    if transition is None:
        raise Http404("No such action.")
    article = get_object_or_404(Article, pk=pk)
    if request.method == "GET":
        return _transition_confirm(
            request, article, transition, TransitionForm(article=article)
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    form = TransitionForm(request.POST, article=article)
    if not form.is_valid():
        messages.error(request, "Please correct the form below.")
        if transition.confirm or transition.needs_message or transition.needs_time:
            return _transition_confirm(request, article, transition, form, status=400)
        return story(request, pk, form=form, status=400)
    data = form.cleaned_data
    try:
        workflow.article_transition(
            article_id=article.pk,
            actor=request.user,
            name=name,
            message=data["message"],
            publish_at=data["publish_at"],
            claim_ids=tuple(c.pk for c in data["claims"]),
        )
    except PermissionDenied as error:
        messages.error(request, str(error) or "Your role does not allow this.")
        return story(request, pk, form=form, status=403)
    except (InvalidTransition, ApprovalBlocked, PublicationBlocked) as error:
        messages.error(request, str(error))
        return story(request, pk, form=form, status=409)
    messages.success(request, f"Done: {transition.label}.")
    return redirect(_safe_next(request) or reverse("desk:story", args=[article.pk]))


@staff_member_required
def story_edit(request, pk):
    article = get_object_or_404(Article, pk=pk)
    if not can_edit_article(request.user, article):
        raise PermissionDenied("You may not edit this article.")
    form = ArticleForm(request.POST or None, instance=article, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.article_save(
                article=article,
                actor=request.user,
                content=form.to_content(),
                base_revision_id=form.cleaned_data.get("base_revision"),
                summary=form.cleaned_data.get("summary", ""),
                choices=choices_from(request.POST),
            )
        except ValidationError as error:  # e.g. a slug taken meanwhile
            form.add_error(None, error)
        except EditConflict as conflict:
            context = selectors.edit_conflict_page(conflict, request.POST)
            form = ArticleForm(context["kept"], instance=article, actor=request.user)
            return render(
                request,
                "desk/article_conflict.html",
                {"article": article, "form": form, **context},
                status=409,
            )
        else:
            messages.success(request, new.merge_note or "Saved.")
            return redirect("desk:story", pk=article.pk)
    # Opening the page writes nothing: its heartbeat (static/js/presence.js)
    # records the soft lock, as soon as it loads and then every minute.
    return render(
        request,
        "desk/article_form.html",
        {
            "article": article,
            "form": form,
            "others_editing": article_selectors.others_editing(
                article=article, user=request.user
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_member_required
@require_POST
def story_draft(request, pk=None):
    """Autosave from an edit page (static/editorial/autosave.js): keep the
    user's unsaved text of story ``pk`` (none: a new story); JSON answers."""
    article = get_object_or_404(Article, pk=pk) if pk is not None else None
    base = request.POST.get("base_revision", "")
    try:
        draft = draft_keep(
            user=request.user,
            article=article,
            fields=request.POST.dict(),
            base_revision_id=int(base) if base.isdigit() else None,
        )
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=403)
    except DraftRefused as refused:
        status = 429 if refused.retry_after else 413
        response = JsonResponse({"error": str(refused)}, status=status)
        if refused.retry_after:
            response["Retry-After"] = str(refused.retry_after)
        return response
    return JsonResponse({"saved_at": timezone.localtime(draft.saved_at).isoformat()})


def _back_to_comments(request, article, note: str, status=200):
    """The comment panel again, for the script that posted; else back where
    the person was (the edit page, the claim page) or the story's desk page.
    ``note`` says what happened (an error when ``status`` is not 200)."""
    if request.headers.get("X-Requested-With") == "fetch":
        claim_id = request.POST.get("comment-claim", "")
        claim = (
            article.claims.filter(pk=int(claim_id)).first()
            if claim_id.isdigit()
            else None
        )
        panel = selectors.comment_panel(user=request.user, article=article, claim=claim)
        return render(
            request,
            "desk/_comments.html",
            {
                **panel,
                "nested": "comment-nested" in request.POST,
                "next": request.POST.get("comment-next", ""),
                "note": note,
                "failed": status != 200,
            },
            status=status,
        )
    (messages.success if status == 200 else messages.error)(request, note)
    target = _safe_next(request, "comment-next")
    return redirect(target or reverse("desk:story", args=[article.pk]))


@staff_member_required
@require_POST
def comment_add(request, pk):
    """Open a thread (``comment-text`` on ``comment-paragraph`` or
    ``comment-claim``) or reply to ``comment-parent`` (``reply-<id>``)."""
    article = get_object_or_404(Article, pk=pk)
    data = request.POST
    number, claim_id = data.get("comment-paragraph", ""), data.get("comment-claim", "")
    parent_id = data.get("comment-parent", "")
    parent = (
        Comment.objects.filter(pk=int(parent_id)).first()
        if parent_id.isdigit()
        else None
    )
    try:
        comments.comment_add(
            actor=request.user,
            article=article,
            text=data.get(f"reply-{parent_id}" if parent else "comment-text", ""),
            paragraph=int(number) if number.isdigit() else None,
            claim=article.claims.filter(pk=int(claim_id)).first()
            if claim_id.isdigit()
            else None,
            parent=parent,
        )
    except ValidationError as error:
        return _back_to_comments(request, article, " ".join(error.messages), 400)
    return _back_to_comments(request, article, "Comment added.")


@staff_member_required
@require_POST
def comment_settle(request, pk, resolve: bool):
    thread = get_object_or_404(Comment, pk=pk, parent=None)
    settle = comments.comment_resolve if resolve else comments.comment_reopen
    settle(actor=request.user, comment_id=thread.pk)
    note = "Thread resolved." if resolve else "Thread reopened."
    return _back_to_comments(request, thread.article, note)


@staff_member_required
@require_POST
def story_presence(request, pk):
    """Heartbeat from an open edit page (static/js/presence.js): the soft lock."""
    article = get_object_or_404(Article, pk=pk)
    if not can_edit_article(request.user, article):
        raise PermissionDenied("You may not edit this article.")
    article_services.edit_session_touch(article=article, user=request.user)
    return HttpResponse(status=204)


@staff_member_required
@require_POST
def story_propose(request, pk):
    """Run a story's claim proposal again after the background run failed."""
    article = get_object_or_404(Article, pk=pk)
    claims_propose_again(article_id=article.pk, actor=request.user)
    messages.success(request, "Claims are being proposed again.")
    return redirect("desk:story", pk=article.pk)


@staff_member_required
def corrections_to_make(request):
    """The standards desk: published claims that changed since readers saw them
    and wait for a publisher's correction, and scheduled stories that are late."""
    return render(
        request,
        "desk/corrections.html",
        {
            "stories": selectors.corrections_to_make(),
            "overdue": selectors.overdue_scheduled_stories(),
        },
    )


@staff_member_required
def notifications(request):
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("desk:notifications")
    items = Notification.objects.filter(recipient=request.user).select_related(
        "article"
    )[:200]
    return render(request, "desk/notifications.html", {"items": items})


def _sources_page(request, status=200):
    return render(
        request,
        "desk/sources_unconfirmed.html",
        {"items": selectors.unconfirmed_sources()},
        status=status,
    )


def _require_source_editor(request) -> None:
    """Confirming and merging sources is an editor's call (desk/roles.py)."""
    if not request.user.has_perm("factcheck.delete_source"):
        raise PermissionDenied("Only editors confirm or merge proposed sources.")


@staff_member_required
def sources_unconfirmed(request):
    _require_source_editor(request)
    return _sources_page(request)


@staff_member_required
@require_POST
def source_confirm(request, pk):
    _require_source_editor(request)
    try:
        source = confirm_source(source_id=pk)
    except Source.DoesNotExist:
        raise Http404("No such source.") from None
    messages.success(request, f"{source.name} is confirmed as a source of its own.")
    return redirect("desk:sources_unconfirmed")


@staff_member_required
@require_POST
def source_merge(request, pk):
    """Fold the proposed source ``pk`` into the source posted as ``keep``."""
    _require_source_editor(request)
    keep = request.POST.get("keep", "")
    if not keep.isdigit():
        messages.error(request, "Choose the source to keep.")
        return _sources_page(request, status=400)
    try:
        kept = merge_sources(keep_id=int(keep), duplicate_id=pk)
    except Source.DoesNotExist:
        messages.error(request, "That source no longer exists; the list is refreshed.")
        return _sources_page(request, status=409)
    except ClaimError as error:
        messages.error(request, str(error))
        return _sources_page(request, status=409)
    messages.success(request, f"Merged into {kept.name}; its claims moved with it.")
    return redirect("desk:sources_unconfirmed")


@staff_member_required
def error_reports(request, status=200):
    """The standards desk's inbox: readers' reports, new ones first."""
    if not request.user.has_perm("desk.view_errorreport"):
        raise PermissionDenied("Only the standards desk reads readers' reports.")
    shown = request.GET.get("status", ErrorReport.Status.NEW)
    if shown not in ErrorReport.Status.values:
        shown = ErrorReport.Status.NEW
    return render(
        request,
        "desk/error_reports.html",
        {
            "reports": selectors.error_reports(status=shown),
            "shown": shown,
            "statuses": ErrorReport.Status.choices,
            "can_handle": request.user.has_perm("desk.change_errorreport"),
        },
        status=status,
    )


@staff_member_required
@require_POST
def error_report_handle(request, pk):
    report = get_object_or_404(ErrorReport, pk=pk)
    try:
        services.error_report_handle(
            report_id=report.pk,
            actor=request.user,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", "")[:5000],
        )
    except InvalidTransition as error:
        messages.error(request, str(error))
        return error_reports(request, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return error_reports(request, status=400)
    messages.success(request, f"Marked: {report}.")
    return redirect("desk:error_reports")
