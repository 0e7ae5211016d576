"""Measure the claim extractor's throughput in words per second, on one core.

Corpus: the seed story's paragraphs, rotated into a 1,000-word article and a
batch of 100 such articles, with the demo source registry.
"""

import json
import time

from django.core.management.base import BaseCommand

from desk.demo_loader import DATA_DIR, SEED_ARTICLE
from factcheck.extraction import (
    RegistryEntry,
    SourceRegistry,
    body_start,
    extract_claims,
)


def demo_registry() -> SourceRegistry:
    entries = json.loads((DATA_DIR / "sources.json").read_text(encoding="utf-8"))
    return SourceRegistry(
        RegistryEntry(
            key=e["name"], name=e["name"], aliases=tuple(e["aliases"]), kind=e["kind"]
        )
        for e in entries
    )


def article_of(words: int, rotation: int) -> str:
    """About ``words`` words of wire copy, starting at paragraph ``rotation``."""
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    paragraphs = [p for p in text[body_start(text) :].split("\n\n") if p.strip()]
    chosen, count, index = [], 0, rotation
    while count < words:
        paragraph = paragraphs[index % len(paragraphs)]
        chosen.append(paragraph)
        count += len(paragraph.split())
        index += 1
    return "\n\n".join(chosen)


def words_per_second(
    articles: list[str], registry: SourceRegistry, repeat: int
) -> float:
    words = sum(len(a.split()) for a in articles)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for article in articles:
            extract_claims(article, registry)
        best = min(best, time.perf_counter() - started)
    return words / best


class Command(BaseCommand):
    help = (
        "Print the extractor's words per second on a 1,000-word article "
        "and on a batch of 100 articles."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repeat", type=int, default=5, help="Runs per case; the best is kept."
        )

    def handle(self, *args, repeat, **options):
        registry = demo_registry()
        single = [article_of(1000, 0)]
        batch = [article_of(1000, n) for n in range(100)]
        self.stdout.write(f"{'case':<28}{'words':>10}{'words/s':>14}")
        for label, articles in (
            ("one 1,000-word article", single),
            ("batch of 100 articles", batch),
        ):
            rate = words_per_second(articles, registry, max(repeat, 1))
            total = sum(len(a.split()) for a in articles)
            self.stdout.write(f"{label:<28}{total:>10,}{rate:>14,.0f}")
