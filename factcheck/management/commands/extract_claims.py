"""Run the claim extractor over plain-text files and print JSON lines.

Reads the source registry once (from the database, or from ``--registry``,
a JSON list of ``{"name", "aliases", "kind"}``) and writes nothing.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from factcheck.extraction import (
    RegistryEntry,
    SourceRegistry,
    body_start,
    extract_claims,
)
from factcheck.selectors import source_registry


def registry_from_file(path: Path) -> SourceRegistry:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        return SourceRegistry(
            RegistryEntry(
                key=item["name"],
                name=item["name"],
                aliases=tuple(item.get("aliases", ())),
                kind=item.get("kind", ""),
            )
            for item in entries
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CommandError(f"Cannot read the registry {path}: {error}") from None


def claim_record(file: str, offset: int, claim) -> dict:
    def shifted(value):
        return None if value is None else value + offset

    channel = claim.channel_source.name if claim.channel_source else claim.channel
    return {
        "file": file,
        "start": claim.start + offset,
        "end": claim.end + offset,
        "text": claim.text,
        "kind": claim.kind,
        "speaker": claim.speaker,
        "speaker_start": shifted(claim.speaker_start),
        "speaker_end": shifted(claim.speaker_end),
        "source": claim.source.name if claim.source else None,
        "channel": channel,
        "cue": claim.cue,
        "resolved_name": claim.resolved_name,
        "confidence": claim.confidence,
    }


class Command(BaseCommand):
    help = "Print one JSON object per claim found in each plain-text FILE (UTF-8)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--registry",
            type=Path,
            help="JSON source registry to use instead of the database.",
        )

    def handle(self, *args, files, registry, **options):
        if registry is not None:
            sources = registry_from_file(registry)
        else:
            try:
                sources = source_registry()
            except DatabaseError as error:
                raise CommandError(
                    f"Cannot read the source registry from the database ({error}). "
                    "Run `python manage.py migrate` or pass --registry FILE."
                ) from None
        failures = 0
        for name in files:
            try:
                text = Path(name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                self.stderr.write(f"{name}: skipped: {error}")
                failures += 1
                continue
            offset = body_start(text)
            for claim in extract_claims(text[offset:], sources):
                self.stdout.write(
                    json.dumps(claim_record(name, offset, claim), ensure_ascii=False)
                )
        if failures:
            sys.exit(1)
