"""Public pages. Anonymous GETs are cached whole (``reader.caching``)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.exceptions import PreviewLinkInvalid
from articles.models import Article
from articles.services import preview_link_resolve
from desk.services import error_report_submit
from factcheck.models import Claim
from newsroom.proxies import client_address
from reader import renders, selectors
from reader.caching import cached_public_page
from reader.forms import ErrorReportForm
from reader.search import SearchTimedOut, search_stories
from reader.sitemaps import news_sitemap_items
from reader.structured_data import RATING_VALUES

REPORTS_PER_HOUR = 5


@cached_public_page
def home(request):
    return render(request, "reader/home.html", {"page": selectors.home_page()})


@cached_public_page(query=("page",))
def section(request, slug):
    section, stories = selectors.section_page(slug=slug, page=request.GET.get("page"))
    lead, rest = selectors.page_lead(stories)
    return render(
        request,
        "reader/section.html",
        {"section": section, "stories": stories, "lead": lead, "rest": rest},
    )


@cached_public_page(query=("page",))
def tag(request, slug):
    tag, stories = selectors.tag_page(slug=slug, page=request.GET.get("page"))
    return render(request, "reader/tag.html", {"tag": tag, "stories": stories})


@cached_public_page
def article_detail(request, section, year, month, day, slug):
    try:
        story_day = datetime.date(year, month, day)
    except (ValueError, OverflowError):
        raise Http404("No such story.") from None
    address = {"section": section, "day": story_day, "slug": slug}
    story = renders.stored_story(**address)
    if story is None:
        story = renders.public_story(selectors.public_article(**address))
    return render(
        request, "reader/article_detail.html", {"preview": False, "story": story}
    )


def _preview_page(request, article: Article) -> HttpResponse:
    story = renders.build_story(
        selectors.article_page_for(article, preview=True), preview=True
    )
    return render(
        request,
        "reader/article_detail.html",
        {"preview": True, "story": story},
    )


@never_cache
@staff_member_required
def staff_preview(request, pk):
    """The live preview of the admin: any story, exactly as readers would see it."""
    return _preview_page(request, get_object_or_404(Article, pk=pk))


@never_cache
def preview(request, token):
    try:
        link = preview_link_resolve(token)
    except PreviewLinkInvalid as error:
        return render(
            request, "reader/preview_invalid.html", {"reason": str(error)}, status=410
        )
    response = _preview_page(request, link.article)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@cached_public_page
def source_detail(request, pk):
    source, claims = selectors.source_page(pk=pk)
    return render(
        request, "reader/source_detail.html", {"source": source, "claims": claims}
    )


@cached_public_page(query=("page",))
def corrections(request):
    return render(
        request,
        "reader/corrections.html",
        {"corrections": selectors.corrections_log(page=request.GET.get("page"))},
    )


@cached_public_page
def methodology(request):
    return render(
        request,
        "reader/methodology.html",
        {
            "attributions": Claim.Attribution.choices,
            "veracities": Claim.Veracity.choices,
            "kinds": Claim.Kind.choices,
            "rated": RATING_VALUES,
        },
    )


@cached_public_page(query=("q", "page"))
def search(request):
    query = request.GET.get("q", "").strip()
    try:
        results = search_stories(query, request.GET.get("page")) if query else None
    except SearchTimedOut:
        context = {"query": query, "results": None, "timed_out": True}
        response = render(request, "reader/search.html", context, status=503)
        response["Retry-After"] = "30"
        return response
    return render(request, "reader/search.html", {"query": query, "results": results})


def _rate_limited(request) -> bool:
    key = f"reader:reports:{client_address(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > REPORTS_PER_HOUR
    except ValueError:  # The counter expired between add and incr.
        return False


@never_cache
def report_error(request, pk):
    article = get_object_or_404(Article, pk=pk, status__in=Article.PUBLIC_STATUSES)
    claims = [
        shown.claim
        for shown in selectors.published_claims()
        .filter(article=article)
        .select_related("claim")
        .order_by("start")
    ]
    form = ErrorReportForm(request.POST or None, claims=claims)
    if request.method == "POST":
        if _rate_limited(request):
            return render(
                request,
                "reader/report_error.html",
                {"article": article, "form": form, "limited": True},
                status=429,
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                error_report_submit(
                    article=article,
                    message=data["message"],
                    name=data["name"],
                    email=data["email"],
                    claim=data["claim"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, "Thank you. The standards desk will look at your report."
                )
                return redirect("reader:report_thanks", pk=article.pk)
    return render(
        request,
        "reader/report_error.html",
        {"article": article, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
def report_thanks(request, pk):
    article = get_object_or_404(Article, pk=pk, status__in=Article.PUBLIC_STATUSES)
    return render(request, "reader/report_thanks.html", {"article": article})


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /desk/",
        "Disallow: /preview/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        f"Sitemap: {settings.SITE_URL}{reverse('news-sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@cached_public_page
def news_sitemap(request):
    return render(
        request,
        "reader/news_sitemap.xml",
        {"stories": news_sitemap_items()},
        content_type="application/xml",
    )
