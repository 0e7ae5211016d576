"""Reads for the agency feeds page of the desk."""

from ingest.models import AgencyFeed, FeedProblem, IngestedItem


def feeds_overview(*, problems: int = 10, items: int = 10) -> list[AgencyFeed]:
    """Every feed with its latest problems and items (three queries)."""
    feeds = list(AgencyFeed.objects.select_related("section", "owner"))
    ids = [feed.pk for feed in feeds]
    latest_problems: dict[int, list] = {}
    for problem in FeedProblem.objects.filter(feed_id__in=ids)[: problems * len(ids)]:
        latest = latest_problems.setdefault(problem.feed_id, [])
        if len(latest) < problems:
            latest.append(problem)
    latest_items: dict[int, list] = {}
    taken = IngestedItem.objects.filter(feed_id__in=ids).select_related("article")
    for item in taken[: items * len(ids)]:
        latest = latest_items.setdefault(item.feed_id, [])
        if len(latest) < items:
            latest.append(item)
    for feed in feeds:
        feed.latest_problems = latest_problems.get(feed.pk, [])
        feed.latest_items = latest_items.get(feed.pk, [])
    return feeds
