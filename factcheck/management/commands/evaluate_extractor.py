"""Score the claim extractor against an annotated attribution corpus.

Takes the folder of one PolNeAR split (``.../data/dev``: it holds ``text/`` and
``attributions/``) and prints sentence-level content recall, source accuracy,
precision and source F1, for speech cues and for all attributions. See
``factcheck.extraction.evaluation`` for the definitions. Ships no data.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factcheck.extraction.evaluation import evaluate_split


class Command(BaseCommand):
    help = "Score the extractor on a PolNeAR split folder (e.g. PolNeAR/data/dev)."

    def add_arguments(self, parser):
        parser.add_argument("split", type=Path, metavar="SPLIT_DIR")

    def handle(self, *args, split: Path, **options):
        if not (split / "text").is_dir() or not (split / "attributions").is_dir():
            raise CommandError(
                f"{split} must hold text/ and attributions/ (a PolNeAR split folder)."
            )
        report = evaluate_split(split)
        if not report.articles:
            raise CommandError(f"No annotated article found in {split}.")
        self.stdout.write(f"{report.articles} articles")
        header = (
            f"{'subset':<8}{'sentences':>10}{'content recall':>16}"
            f"{'source acc.':>13}{'precision':>11}{'source prec.':>14}{'source F1':>11}"
        )
        self.stdout.write(header)
        for label, tally in (("speech", report.speech), ("all", report.all)):
            self.stdout.write(
                f"{label:<8}{tally.attributed:>10}{tally.content_recall:>16.3f}"
                f"{tally.source_accuracy:>13.3f}{tally.precision:>11.3f}"
                f"{tally.source_precision:>14.3f}{tally.source_f1:>11.3f}"
            )
