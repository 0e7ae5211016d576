"""The article admin: the editors' main editing tool.

It lives in ``desk`` because saving an article is desk orchestration (a
revision, claim re-anchoring, background proposals), see ``desk.services``.
"""

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from articles import selectors as article_selectors
from articles import services as article_services
from articles.diff import revision_diff
from articles.exceptions import EditConflict
from articles.forms import ArticleForm, PreviewLinkForm, newsroom_zone
from articles.merge import choices_from
from articles.models import Article, ArticleRevision, PreviewLink
from articles.permissions import can_edit_article
from desk import claims_panel, selectors, services, workflow
from desk.exceptions import ApprovalBlocked, InvalidTransition, PublicationBlocked
from desk.models import Correction, ErrorReport


def transition_action(transition: workflow.Transition):
    """An admin action for one row of the transition table (the same service and
    rules as the desk pages); actions that need a reason or a time are on the desk.

    An action the table marks ``confirm`` first shows what it will do to the
    selected stories and asks again."""

    def apply(modeladmin, request, queryset):
        if transition.confirm and request.POST.get("confirmed") != "yes":
            return TemplateResponse(
                request,
                "admin/articles/article/action_confirm.html",
                {
                    **modeladmin.admin_site.each_context(request),
                    "opts": modeladmin.model._meta,
                    "title": f"{transition.label}: are you sure?",
                    "transition": transition,
                    "action_name": apply.__name__,
                    "stories": queryset,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        done = 0
        for article in queryset:
            try:
                workflow.article_transition(
                    article_id=article.pk, actor=request.user, name=transition.name
                )
            except (
                PermissionDenied,
                InvalidTransition,
                ApprovalBlocked,
                PublicationBlocked,
            ) as error:
                modeladmin.message_user(
                    request, f"“{article}”: {error}", messages.ERROR
                )
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request,
                f"{transition.label}: {done} stor{'y' if done == 1 else 'ies'}.",
                messages.SUCCESS,
            )
        return None

    apply.__name__ = f"transition_{transition.name}"
    apply.transition = transition
    return admin.action(description=f"{transition.label} (selected stories)")(apply)


def _when(value) -> str:
    """A moment in the newsroom's zone, with the zone said: "4 Jan 2026 09:30 KST"."""
    if value is None:
        return "—"
    return format_date(timezone.localtime(value), "j M Y H:i T")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """The writing surface: text in a wide column, details, actions and the
    claims beside it. Claims are edited one at a time in the claims panel
    (``desk.claims_panel``), never as a table in this form: a story's form
    stays small whatever its number of claims."""

    form = ArticleForm
    list_display = ["headline", "status", "section", "byline_names", "updated"]
    list_filter = ["status", "section", "tags"]
    list_select_related = ["section"]
    search_fields = ["headline", "dek", "body", "slug"]
    date_hierarchy = "story_date"
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = [
        "status",
        "created_by",
        "created",
        "updated",
        "first_published",
        "published",
        "scheduled_for",
    ]
    raw_id_fields = ["lead_image"]
    actions = [
        transition_action(t)
        for t in workflow.TRANSITIONS
        if not (t.needs_message or t.needs_time)
    ]
    fieldsets = [
        (None, {"fields": ["headline", "dek", "body"]}),
        (
            "Lead picture",
            {
                "fields": ["lead_image"],
                "description": "Choose from the media library (the magnifier "
                "searches it). To show a picture in the body, paste the Markdown "
                "the library gives for it on a line of its own.",
            },
        ),
        (
            "Story details",
            {
                "fields": [
                    "slug",
                    "section",
                    "story_date",
                    "byline_users",
                    "contributor_credit",
                    "dateline",
                    "tags",
                    "embargo_until",
                ]
            },
        ),
        ("Revision note", {"fields": ["summary", "base_revision"]}),
        ("Record", {"fields": readonly_fields, "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__user")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_actions(self, request):
        # Offer a workflow action only to a role the transition table lets take
        # it; the service still checks each story (state, duties, the gate).
        return {
            name: action
            for name, action in super().get_actions(request).items()
            if not hasattr(action[0], "transition")
            or request.user.has_perm(action[0].transition.permission)
        }

    @admin.display(description="Bylines")
    def byline_names(self, article):
        return ", ".join(
            b.user.get_full_name() or b.user.get_username()
            for b in article.bylines.all()
        )

    @admin.display(description="Created")
    def created(self, article):
        return _when(article.created_at)

    @admin.display(description="Last changed", ordering="updated_at")
    def updated(self, article):
        return _when(article.updated_at)

    @admin.display(description="First published")
    def first_published(self, article):
        return _when(article.first_published_at)

    @admin.display(description="Published")
    def published(self, article):
        return _when(article.published_at)

    @admin.display(description="Scheduled for")
    def scheduled_for(self, article):
        return _when(article.publish_at)

    def get_changeform_initial_data(self, request):
        # A new story is, to begin with, by the person who starts it.
        return {
            "byline_users": [request.user],
            **super().get_changeform_initial_data(request),
        }

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return can_edit_article(request.user, obj)

    def save_model(self, request, obj, form, change):
        summary = form.cleaned_data.get("summary", "")
        if change:
            new = services.article_save(
                article=obj,
                actor=request.user,
                content=form.to_content(),
                base_revision_id=form.cleaned_data.get("base_revision"),
                summary=summary,
                choices=choices_from(request.POST),  # editorial: merge choices
            )
            if new.merge_note:  # editorial: say what merged with whose save
                self.message_user(request, new.merge_note, messages.INFO)
            return
        created = services.article_start(
            actor=request.user,
            content=form.to_content(),
            summary=summary,
            from_editor=True,  # editorial: the add page's unsaved text is saved
        )
        obj.pk, obj.current_revision_id = created.pk, created.current_revision_id
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Bylines and tags were saved by the service with the revision."""

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        context["newsroom_zone"] = newsroom_zone()
        article = context.get("original")
        if article is not None and article.pk:
            context.update(claims_panel.panel_context(request, article))
            context["workflow_options"] = workflow.transition_options(
                request.user, article, workflow.story_gate(article)
            )
            context["has_claim_panel"] = True
        return super().render_change_form(request, context, add, change, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            return self._conflict_response(request, conflict)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if (
            article is not None
            and request.method == "GET"
            and can_edit_article(request.user, article)
        ):
            # Reading writes nothing: the page's heartbeat (presence.js) records it.
            extra_context["others_editing"] = article_selectors.others_editing(
                article=article, user=request.user
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _conflict_response(self, request, conflict: EditConflict):
        article = conflict.current.article
        # editorial: both versions and a choice per overlapping change
        page = selectors.edit_conflict_page(conflict, request.POST)
        context = {
            **self.admin_site.each_context(request),
            **page,
            "opts": self.model._meta,
            "article": article,
            "kept_fields": [
                (name, page["kept"].getlist(name))
                for name in page["kept"]
                if name != "csrfmiddlewaretoken" and not name.startswith("merge-")
            ],
            "text_fields": ["headline", "dek", "body", "summary"],
            "title": "Someone else saved this article",
        }
        return TemplateResponse(
            request, "admin/articles/article/conflict.html", context, status=409
        )

    # Revision history, diff, restore, previews: extra admin pages.
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/revisions/",
                wrap(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<int:pk>/revisions/compare/",
                wrap(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<int:pk>/revisions/<int:revision_id>/restore/",
                wrap(self.restore_view),
                name="articles_article_restore",
            ),
            path(
                "<int:pk>/share/", wrap(self.share_view), name="articles_article_share"
            ),
            path(
                "<int:pk>/claims/",
                wrap(partial(claims_panel.panel_view, self)),
                name="articles_article_claims",
            ),
            path(
                "<int:pk>/claims/preview/",
                wrap(partial(claims_panel.edit_preview_view, self)),
                name="articles_article_claims_preview",
            ),
            path(
                "<int:pk>/claims/<int:claim_id>/",
                wrap(partial(claims_panel.claim_edit_view, self)),
                name="articles_article_claim",
            ),
            *super().get_urls(),
        ]

    def _article_for(self, request, pk) -> Article:
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def _context(self, request, article, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "article": article,
            "title": title,
            **extra,
        }

    def revisions_view(self, request, pk):
        article = self._article_for(request, pk)
        context = self._context(
            request,
            article,
            f"Revisions of “{article}”",
            revisions=article_selectors.article_revisions(article),
            can_restore=can_edit_article(request.user, article),
        )
        return TemplateResponse(
            request, "admin/articles/article/revisions.html", context
        )

    def compare_view(self, request, pk):
        article = self._article_for(request, pk)
        revisions = ArticleRevision.objects.filter(article=article)
        try:
            old = revisions.get(pk=int(request.GET.get("a", "")))
            new = revisions.get(pk=int(request.GET.get("b", "")))
        except (ValueError, ArticleRevision.DoesNotExist):
            messages.error(request, "Pick two revisions of this article to compare.")
            return redirect("admin:articles_article_revisions", pk=article.pk)
        if old.number > new.number:
            old, new = new, old
        context = self._context(
            request,
            article,
            f"Revision {old.number} → {new.number}",
            old=old,
            new=new,
            diffs=revision_diff(old, new),
        )
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, pk, revision_id):
        article = self._article_for(request, pk)
        if request.method != "POST":
            return self._restore_confirm(request, article, revision_id)
        base = request.POST.get("base_revision", "")
        try:
            new = services.article_restore(
                article=article,
                actor=request.user,
                revision_id=revision_id,
                base_revision_id=int(base) if base.isdigit() else None,
            )
        except ArticleRevision.DoesNotExist:
            messages.error(request, "That revision does not belong to this article.")
        except EditConflict:
            messages.error(
                request,
                "The article changed while you were looking; review and try again.",
            )
        except ValidationError as error:  # e.g. its slug is now another story's
            messages.error(request, "Cannot restore: " + " ".join(error.messages))
        else:
            messages.success(request, f"Restored as revision {new.number}.")
        return redirect("admin:articles_article_revisions", pk=article.pk)

    def _restore_confirm(self, request, article, revision_id):
        """Restoring asks first, saying what it does."""
        revision = get_object_or_404(ArticleRevision, pk=revision_id, article=article)
        if not can_edit_article(request.user, article):
            raise PermissionDenied("You may not edit this article.")
        context = self._context(
            request,
            article,
            f"Restore revision {revision.number}?",
            revision=revision,
            changes=[
                d
                for d in revision_diff(article.current_revision, revision)
                if d.changed
            ],
        )
        return TemplateResponse(
            request, "admin/articles/article/restore_confirm.html", context
        )

    def share_view(self, request, pk):
        article = self._article_for(request, pk)
        if not request.user.has_perm("articles.add_previewlink"):
            raise PermissionDenied
        form = PreviewLinkForm(request.POST or None)
        if request.method == "POST" and "revoke" in request.POST:
            revoke = request.POST["revoke"]
            link = get_object_or_404(
                PreviewLink, pk=int(revoke) if revoke.isdigit() else 0, article=article
            )
            article_services.preview_link_revoke(link_id=link.pk, actor=request.user)
            messages.success(request, "Preview link revoked.")
            return redirect("admin:articles_article_share", pk=article.pk)
        if request.method == "POST" and form.is_valid():
            article_services.preview_link_create(
                article=article, actor=request.user, **form.cleaned_data
            )
            messages.success(
                request, "Preview link created; copy it from the list below."
            )
            return redirect("admin:articles_article_share", pk=article.pk)
        links = [
            (
                link,
                request.build_absolute_uri(
                    reverse(
                        "reader:preview",
                        kwargs={"token": article_services.preview_link_token(link)},
                    )
                ),
            )
            for link in article.preview_links.select_related("created_by")
        ]
        context = self._context(
            request,
            article,
            f"Share a preview of “{article}”",
            form=form,
            links=links,
            now=timezone.now(),
        )
        return TemplateResponse(request, "admin/articles/article/share.html", context)


def error_report_action(status: str, label: str):
    """Mark the selected reports through ``error_report_handle`` (audited)."""

    def apply(modeladmin, request, queryset):
        done = 0
        for report in queryset:
            try:
                services.error_report_handle(
                    report_id=report.pk, actor=request.user, status=status
                )
            except (PermissionDenied, InvalidTransition) as error:
                modeladmin.message_user(request, f"{report}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request, f"{label}: {done} report(s).", messages.SUCCESS
            )

    apply.__name__ = f"mark_{status}"
    return admin.action(
        description=f"{label} (selected reports)", permissions=["change"]
    )(apply)


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    """Read and mark; the desk's "Readers' reports" page does the same."""

    list_display = ["created_at", "article", "status", "name", "email", "handled_by"]
    list_filter = ["status", "created_at"]
    list_select_related = ["article", "handled_by"]
    search_fields = ["message", "article__headline", "email"]
    actions = [
        error_report_action(ErrorReport.Status.HANDLED, "Mark handled"),
        error_report_action(ErrorReport.Status.SPAM, "Mark as spam"),
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # No edit form: a report changes only through the actions (audited).
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Read-only: corrections are added through the workflow ("Add a correction")."""

    list_display = ["created_at", "article", "kind", "created_by"]
    list_filter = ["kind"]
    search_fields = ["text", "article__headline"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
