"""Sentence-level scores of the extractor against attribution annotations.

Reads a split of the PolNeAR corpus (``text/NAME.txt`` beside
``attributions/NAME_ANNOTATOR.ann``, brat standoff with Source, Cue and Content
spans tied by an ``Attribution`` event) and compares the extractor's proposals
with it, one sentence at a time. Embeds no data: the caller gives the path.

Definitions (the same before and after any change to the extractor):

- A sentence is *attributed* when one annotated attribution's content covers at
  least half of its characters; its gold source is that attribution's source
  span (an attribution without a source counts for recall only).
- A sentence is *touched* when any annotated content, cue or source overlaps it;
  a proposal on a touched sentence is not a false attribution.
- *Speech* attributions are those whose cue holds a verb of saying (say, tell,
  add, state, write, ask, explain, note, "according to").
- *Content recall*: attributed sentences where the extractor proposes any
  attribution. *Source accuracy*: attributed sentences whose proposed speaker
  mention (as written, so a pronoun counts where the annotator marked the
  pronoun) overlaps the gold source span, out of those with a gold source.
- *Precision*: proposals on touched sentences out of all proposals; *source
  precision*: proposals whose speaker overlaps a gold source of the sentence,
  out of proposals on sentences with a gold source or on untouched sentences.
  For the speech subset, sentences whose only attributions are not speech are
  left out of precision.
- *Unresolved*: of the proposals scored for source precision, those naming no
  speaker at all (a quotation whose speaker was not found); *named source
  precision* leaves them out, so it counts only wrong speakers as errors.

``evaluate_wire`` scores hand-annotated wire copy instead: the right party
(pronouns, role nouns and continuing quotations resolved) for each attributed
sentence; see ``WireReport``.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .document import body_start
from .extractor import extract_claims
from .registry import RegistryEntry, SourceRegistry

_SPEECH_CUE = re.compile(
    r"\b(?:say|says|said|saying|tell|tells|told|telling|add|adds|added|adding"
    r"|state|states|stated|write|writes|wrote|writing|ask|asks|asked|explain"
    r"|explains|explained|note|notes|noted|according)\b",
    re.IGNORECASE,
)
_MIN_COVER = 0.5


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    content: list[tuple[int, int]]
    cue: list[tuple[int, int]]
    source: list[tuple[int, int]]
    cue_text: str

    @property
    def speech(self) -> bool:
        return _SPEECH_CUE.search(self.cue_text) is not None


@dataclass
class Tally:
    """Counts for one subset (speech cues, or all attributions)."""

    attributed: int = 0
    found: int = 0
    with_source: int = 0
    source_right: int = 0
    proposed: int = 0
    proposed_touched: int = 0
    source_scored: int = 0
    source_scored_right: int = 0
    unresolved: int = 0

    @property
    def content_recall(self) -> float:
        return _ratio(self.found, self.attributed)

    @property
    def source_accuracy(self) -> float:
        return _ratio(self.source_right, self.with_source)

    @property
    def precision(self) -> float:
        return _ratio(self.proposed_touched, self.proposed)

    @property
    def source_precision(self) -> float:
        return _ratio(self.source_scored_right, self.source_scored)

    @property
    def named_source_precision(self) -> float:
        return _ratio(self.source_scored_right, self.source_scored - self.unresolved)

    @property
    def source_f1(self) -> float:
        p, r = self.source_precision, self.source_accuracy
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    articles: int = 0
    speech: Tally = field(default_factory=Tally)
    all: Tally = field(default_factory=Tally)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _spans(field_text: str) -> list[tuple[int, int]]:
    """ "Cue 107 114" or "Content 10 20;25 40" -> [(107, 114)]."""
    _, _, offsets = field_text.partition(" ")
    spans = []
    for part in offsets.split(";"):
        numbers = part.split()
        if len(numbers) == 2 and all(n.isdigit() for n in numbers):
            spans.append((int(numbers[0]), int(numbers[1])))
    return spans


def read_annotation(text: str) -> list[GoldAttribution]:
    """Attributions of one brat ``.ann`` file."""
    spans: dict[str, tuple[list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in text.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            spans[parts[0]] = (_spans(parts[1]), parts[2] if len(parts) > 2 else "")
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(role.split(":", 1) for role in parts[1].split() if ":" in role)
            events.append(roles)
    found = []
    for roles in events:
        content, _ = spans.get(roles.get("Content", ""), ([], ""))
        if not content:
            continue
        cue, cue_text = spans.get(roles.get("Cue", ""), ([], ""))
        source, _ = spans.get(roles.get("Source", ""), ([], ""))
        found.append(GoldAttribution(content, cue, source, cue_text))
    return found


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _covering(
    sentence: tuple[int, int], gold: Iterable[GoldAttribution]
) -> GoldAttribution | None:
    length = sentence[1] - sentence[0]
    best, best_cover = None, 0
    for attribution in gold:
        cover = sum(_overlap(sentence, span) for span in attribution.content)
        if cover > best_cover:
            best, best_cover = attribution, cover
    return best if length and best_cover >= _MIN_COVER * length else None


def _touching(sentence: tuple[int, int], gold: Iterable[GoldAttribution]):
    return [
        attribution
        for attribution in gold
        if any(
            _overlap(sentence, span)
            for span in (*attribution.content, *attribution.cue, *attribution.source)
        )
    ]


def score_article(text: str, gold: list[GoldAttribution], report: Report) -> None:
    """Add one article's sentences to ``report``."""
    sentences: dict[tuple[int, int], list] = {}
    for claim in extract_claims(text):
        sentences.setdefault((claim.sentence_start, claim.sentence_end), []).append(
            claim
        )
    for sentence, found in sentences.items():
        attributed = [claim for claim in found if claim.kind != "none"]
        covering = _covering(sentence, gold)
        touching = _touching(sentence, gold)
        for tally, keep in ((report.all, None), (report.speech, True)):
            relevant = [a for a in touching if keep is None or a.speech]
            if covering is not None and (keep is None or covering.speech):
                _score_recall(tally, covering, attributed)
            if touching and not relevant:
                continue  # the sentence's attributions belong to the other subset
            _score_precision(tally, relevant, attributed)


def _speaker_overlaps(claim, sources: list[tuple[int, int]]) -> bool:
    if claim.speaker_start is None:
        return False
    span = (claim.speaker_start, claim.speaker_end)
    return any(_overlap(span, source) for source in sources)


def _score_recall(tally: Tally, covering: GoldAttribution, attributed: list) -> None:
    tally.attributed += 1
    tally.found += bool(attributed)
    if covering.source:
        tally.with_source += 1
        tally.source_right += any(
            _speaker_overlaps(claim, covering.source) for claim in attributed
        )


def _score_precision(tally: Tally, touching: list, attributed: list) -> None:
    sources = [span for a in touching for span in a.source]
    for claim in attributed:
        tally.proposed += 1
        tally.proposed_touched += bool(touching)
        if sources or not touching:
            tally.source_scored += 1
            tally.source_scored_right += _speaker_overlaps(claim, sources)
            tally.unresolved += claim.speaker_start is None


def evaluate_split(split: Path) -> Report:
    """Score every annotated article of ``split`` (a folder holding ``text/``
    and ``attributions/``); of several annotations of one article, the first."""
    report = Report()
    annotations: dict[str, Path] = {}
    for path in sorted((split / "attributions").glob("*.ann")):
        annotations.setdefault(path.stem.rsplit("_", 1)[0], path)
    for name, ann in sorted(annotations.items()):
        article = split / "text" / f"{name}.txt"
        if not article.exists():
            continue
        text = article.read_text("utf-8")
        score_article(text, read_annotation(ann.read_text("utf-8")), report)
        report.articles += 1
    return report


# Wire copy: the right entity for each attributed sentence.


@dataclass
class WireMiss:
    article: str
    sentence: str
    expected: str
    got: str | None


@dataclass
class WireReport:
    """Entity accuracy over hand-annotated wire articles (``X.txt`` beside
    ``X.entities.json``): attributed sentences whose claim names the gold
    party (the registry entry, or the name the story gave an unregistered
    party), out of all attributed sentences."""

    articles: int = 0
    attributed: int = 0
    right: int = 0
    misses: list[WireMiss] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return _ratio(self.right, self.attributed)


def wire_registry(gold: dict, known: Iterable[RegistryEntry] = ()) -> SourceRegistry:
    """``known`` entries plus the gold's parties by name (and any aliases given),
    so that pronouns and role nouns must still be resolved."""
    entries = list(known)
    names = {entry.name for entry in entries}
    for source in gold["sources"].values():
        if source["name"] not in names:
            entries.append(
                RegistryEntry(
                    source["name"],
                    source["name"],
                    tuple(source.get("aliases", ())),
                    source.get("kind", ""),
                )
            )
    return SourceRegistry(entries)


def score_wire_article(
    name: str, text: str, gold: dict, report: WireReport, known=()
) -> None:
    """Add one article's attributed sentences to ``report``.

    Raises ValueError when a gold sentence is not in the article's body.
    """
    offset = body_start(text)
    body = text[offset:]
    claims = extract_claims(body, wire_registry(gold, known))
    for row in gold["sentences"]:
        at = body.find(row["text"])
        if at < 0:
            raise ValueError(f"{name}: gold sentence not in the body: {row['text']!r}")
        expected = gold["sources"][row["source"]]["name"]
        got = _entity_at(claims, at)
        report.attributed += 1
        if got == expected:
            report.right += 1
        else:
            report.misses.append(WireMiss(name, row["text"], expected, got))
    report.articles += 1


def _entity_at(claims: list, at: int) -> str | None:
    """The party of the claim holding offset ``at`` (else of its sentence)."""
    holding = [claim for claim in claims if claim.start <= at < claim.end] or [
        claim for claim in claims if claim.sentence_start <= at < claim.sentence_end
    ]
    if not holding or holding[0].kind == "none":
        return None
    claim = holding[0]
    return claim.source.name if claim.source is not None else claim.resolved_name


def evaluate_wire(folder: Path, known: Iterable[RegistryEntry] = ()) -> WireReport:
    """Score every ``*.entities.json`` of ``folder`` against its article."""
    report = WireReport()
    known = list(known)
    for gold_path in sorted(folder.glob("*.entities.json")):
        article = gold_path.with_name(
            gold_path.name.removesuffix(".entities.json") + ".txt"
        )
        gold = json.loads(gold_path.read_text("utf-8"))
        score_wire_article(
            article.name, article.read_text("utf-8"), gold, report, known
        )
    return report
