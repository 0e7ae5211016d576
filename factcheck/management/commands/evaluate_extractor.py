"""Score the claim extractor against annotated copy.

Takes either the folder of one PolNeAR split (``.../data/dev``: it holds
``text/`` and ``attributions/``) and prints sentence-level content recall,
source accuracy, precision and source F1, for speech cues and for all
attributions; or a folder of hand-annotated wire articles (``X.txt`` beside
``X.entities.json``, as ``tests/factcheck/extraction/wire``) and prints the
entity accuracy and every miss. See ``factcheck.extraction.evaluation`` for
the definitions. Ships no data.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factcheck.extraction.evaluation import evaluate_split, evaluate_wire
from factcheck.management.commands.extract_claims import registry_from_file


class Command(BaseCommand):
    help = (
        "Score the extractor on a PolNeAR split folder (e.g. PolNeAR/data/dev) "
        "or on a folder of wire articles with .entities.json gold."
    )

    def add_arguments(self, parser):
        parser.add_argument("split", type=Path, metavar="FOLDER")
        parser.add_argument(
            "--registry",
            type=Path,
            help="JSON source registry the wire articles' parties are added to "
            "(e.g. desk/demo/sources.json).",
        )

    def handle(self, *args, split: Path, registry: Path | None, **options):
        if split.is_dir() and any(split.glob("*.entities.json")):
            self._wire(split, registry)
            return
        if not (split / "text").is_dir() or not (split / "attributions").is_dir():
            raise CommandError(
                f"{split} must hold text/ and attributions/ (a PolNeAR split folder) "
                "or X.txt with X.entities.json (wire articles)."
            )
        report = evaluate_split(split)
        if not report.articles:
            raise CommandError(f"No annotated article found in {split}.")
        self.stdout.write(f"{report.articles} articles")
        header = (
            f"{'subset':<8}{'sentences':>10}{'content recall':>16}"
            f"{'source acc.':>13}{'precision':>11}{'source prec.':>14}{'source F1':>11}"
            f"{'unresolved':>12}{'named prec.':>13}"
        )
        self.stdout.write(header)
        for label, tally in (("speech", report.speech), ("all", report.all)):
            self.stdout.write(
                f"{label:<8}{tally.attributed:>10}{tally.content_recall:>16.3f}"
                f"{tally.source_accuracy:>13.3f}{tally.precision:>11.3f}"
                f"{tally.source_precision:>14.3f}{tally.source_f1:>11.3f}"
                f"{tally.unresolved:>12}{tally.named_source_precision:>13.3f}"
            )

    def _wire(self, folder: Path, registry: Path | None) -> None:
        known = registry_from_file(registry).entries if registry else ()
        try:
            report = evaluate_wire(folder, known)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Cannot score {folder}: {error}") from None
        for miss in report.misses:
            self.stdout.write(
                f"miss  {miss.article}: {miss.sentence!r} "
                f"expected {miss.expected!r}, got {miss.got!r}"
            )
        self.stdout.write(
            f"{report.articles} articles, {report.attributed} attributed sentences, "
            f"entity accuracy {report.accuracy:.3f}"
        )
