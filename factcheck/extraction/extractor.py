"""Claims of a body text: every sentence with its proposed attribution.

Reads sentences in order, because attribution carries over: "It said" credits the
last speaker, a quotation running over several sentences or paragraphs is
credited wherever its attribution stands, a quotation right after one by the
same speaker with no new attribution continues it, and a paragraph closing on
"X said:" hands the next paragraph to X. A sentence with two attributions in two
clauses gives two claims, each over its own clause.
"""

import re

from .attribution import (
    CUE_WORDS,
    HIGH,
    LOW,
    MEDIUM,
    Attribution,
    find_attributions,
    leading_party,
)
from .claims import ProposedClaim
from .document import paragraphs, segments
from .lexicon import DOCUMENT_NOUNS, SPEAKER_NOUNS
from .quotes import QuoteMap
from .registry import SourceRegistry
from .sentences import segment_sentences
from .speakers import FAR, HERE, Speaker, SpeakerTracker

# A sentence opening with a quotation is a direct quote when the quotation is
# most of it; a short scare-quoted opening is not.
_MIN_QUOTED_SHARE = 0.4
_QUOTE_END_SLACK = 2  # "“...”." ends a direct quote although "." follows the mark
_WORD = re.compile(r"[A-Za-z]+")
# A personal or organisation name of two or more capitalised words inside a sentence.
# A paragraph opening on a label and a colon: a name (capitalised words, a
# name particle allowed) or "the" and a speaker noun ("The ministry:").
_LABEL = re.compile(
    r"[\"\u201c]?((?:[A-Z][\w.'\u2019-]+(?:\s+(?:(?:bin|al|van|von|der|de|da|la)\s+)*"
    r"[A-Z][\w.'\u2019-]+){0,3})|(?:[Tt]he\s+)(?:[\w-]+\s+){0,2}?(?:"
    + "|".join(sorted(SPEAKER_NOUNS - DOCUMENT_NOUNS))
    + r")):[ \t]+"
)
_CAPS_LABEL = re.compile(
    r"^[\"\u201c]?([A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+)?):", re.M
)
# A dash and a name closing a quotation, alone on the rest of its line.
_SIGNATURE = re.compile(
    r"[ \t\u00a0]*[\u2014\u2015\u2013][ \t\u00a0]*"
    r"([A-Z][\w.'\u2019-]*(?:[ \t\u00a0]+(?:[A-Z][\w.'\u2019-]*|bin|al|van|von|der"
    r"|de|da|la)){0,4})[ \t\u00a0]*(?:,[^\n]{0,80})?(?=\n|$)"
)
_QUOTE_AFTER = re.compile(r"[\"\u201c\u00ab]")
# Labels that introduce no speaker.
_NOT_LABELS = frozenset(
    [
        "note",
        "update",
        "correction",
        "photo",
        "photos",
        "video",
        "related",
        "watch",
        "read",
        "editor's",
        "editors",
        "source",
        "sources",
        "warning",
        "caption",
        "credit",
        "read",
        "more",
        "see",
        "also",
        "listen",
        "q",
        "a",
        "question",
        "answer",
        "example",
        "breaking",
        "update",
        "exclusive",
        "advertisement",
    ]
)
_NAME = re.compile(
    r"(?<=[\s(])[A-Z][\w'\u2019-]+(?:\s+(?:(?:bin|al|van|von|der|de|da|la)\s+)*"
    r"[A-Z][\w'\u2019-]+)+"
)


def extract_claims(
    text: str, registry: SourceRegistry | None = None
) -> list[ProposedClaim]:
    """The claims of a body text, in order: one per sentence, or one per
    attribution when a sentence holds several.

    ``text`` is body text only (see ``body_start``). Headings are not claims.
    Unattributed sentences get kind "none" and no speaker; unregistered speakers
    get their mention as ``speaker`` and a None ``source``; without a registry
    every source is None. Never raises on odd input; offsets stay in bounds.
    """
    quote_map = QuoteMap(text, paragraphs(text))
    sentences = [
        (start, end, segment.paragraph)
        for segment in segments(text)
        if not segment.heading
        for start, end in segment_sentences(text, segment)
    ]
    found = [
        find_attributions(quote_map.masked, start, end) for start, end, _ in sentences
    ]
    transcript = _transcript_labels(text)
    for number, (start, end, paragraph) in enumerate(sentences):
        opens = number == 0 or sentences[number - 1][2] != paragraph
        if not found[number] and opens:
            label = _label(text, start, end, transcript)
            found[number] = [label] if label is not None else []
    return _Reader(text, registry, quote_map, sentences, found).claims()


def _signatures(text: str, quote_map: QuoteMap) -> dict[int, tuple[int, int]]:
    """Quotations signed with a dash and a name ("”― Pamela Padilla"): the
    name's offsets, by quotation chain."""
    signed = {}
    for quote in quote_map.quotes:
        match = _SIGNATURE.match(text, quote.end)
        if match is not None:
            signed[quote.chain] = match.span(1)
    return signed


def _transcript_labels(text: str) -> frozenset[str]:
    """Labels in capitals opening paragraphs ("PENCE:", "WALLACE:"), when one
    of them opens two or more: a transcript."""
    labels = [match.group(1) for match in _CAPS_LABEL.finditer(text)]
    return frozenset(labels) if len(set(labels)) < len(labels) else frozenset()


def _label(
    text: str, start: int, end: int, transcript: frozenset[str]
) -> Attribution | None:
    """ "PENCE: Well, ...", "The ministry: “...”": a speaker's label opening
    a paragraph. A label in capitals counts in a transcript (see
    ``_transcript_labels``); any other only before a quotation."""
    match = _LABEL.match(text, start, end)
    if match is None or match.group(1).lower() in _NOT_LABELS:
        return None
    name = match.group(1)
    after = match.end()
    if name not in transcript and _QUOTE_AFTER.match(text, after, end) is None:
        return None
    if not text[after:end].strip():
        return None
    colon = match.end(1)
    return Attribution(
        cue_start=colon,
        cue_end=colon + 1,
        speaker_start=match.start(1),
        speaker_end=colon,
        pronoun=False,
        quote_intro=_QUOTE_AFTER.match(text, after, end) is not None,
        confidence=MEDIUM,
        start=start,
        end=end,
    )


class _Reader:
    """Walks the sentences in order, carrying speakers from one to the next."""

    def __init__(
        self,
        text: str,
        registry: SourceRegistry | None,
        quote_map: QuoteMap,
        sentences: list[tuple[int, int, int]],
        found: list[list[Attribution]],
    ) -> None:
        self.text = text
        self.quotes = quote_map
        self.sentences = sentences
        self.found = found
        self.tracker = SpeakerTracker(text, registry)
        self.owners = self._chain_owners()
        self.speakers: dict[tuple[int, int], Speaker] = {}
        self.label: Speaker | None = None  # "PENCE:" opening this paragraph
        self.signed = _signatures(text, quote_map)

    def claims(self) -> list[ProposedClaim]:
        result = []
        previous: tuple[Speaker | None, int] = (None, -2)
        lead_in: Speaker | None = None  # "X said:" closing the previous paragraph
        for index, (_, _, paragraph) in enumerate(self.sentences):
            if lead_in is not None and lead_in.paragraph + 1 < paragraph:
                lead_in = None
            if self.label is not None and self.label.paragraph != paragraph:
                self.label = None
            claims, speaker = self._claims(index, previous, lead_in)
            if self._is_label(index):
                self.label = speaker
            if speaker is not None:
                self.tracker.remember(speaker)
            if self._leads_in(index):
                lead_in = speaker
            elif self.found[index] or (lead_in and lead_in.paragraph != paragraph):
                lead_in = None
            previous = (speaker, paragraph)
            result.extend(claims)
        return result

    def _claims(
        self,
        index: int,
        previous: tuple[Speaker | None, int],
        lead_in: Speaker | None,
    ) -> tuple[list[ProposedClaim], Speaker | None]:
        start, end, paragraph = self.sentences[index]
        attributions = self.found[index]
        quoted = self._opens_quoted(index)
        if attributions:
            claims = []
            for number, attribution in enumerate(attributions):
                speaker = self._speaker(index, number)
                part_quoted = quoted if number == 0 else self._quoted_part(attribution)
                direct = part_quoted or self._introduces_quote(attribution)
                cue = self.text[attribution.cue_start : attribution.cue_end]
                claims.append(
                    self._make(
                        index,
                        "direct" if direct else "indirect",
                        speaker,
                        attribution,
                        cue,
                        _confidence(attribution.confidence, speaker),
                    )
                )
            return claims, self._speaker(index, len(attributions) - 1)
        if lead_in is not None and lead_in.paragraph + 1 == paragraph:
            kind = "direct" if quoted else "indirect"
            carried = _carried(lead_in, paragraph)
            return [self._make(index, kind, carried, None, None, LOW)], lead_in
        if self.label is not None:
            kind = "direct" if quoted else "indirect"
            return [self._make(index, kind, self.label, None, None, MEDIUM)], None
        if not quoted:
            self._note_subject(index)
            confidence = MEDIUM if self._has_cue_word(start, end) else HIGH
            return [self._make(index, "none", None, None, None, confidence)], None
        speaker, confidence = self._quotation_speaker(index, previous)
        return [self._make(index, "direct", speaker, None, None, confidence)], speaker

    def _is_label(self, index: int) -> bool:
        """Whether the sentence opens on a speaker's label ("PENCE: ...")."""
        found = self.found[index]
        return (
            len(found) == 1
            and found[0].speaker_end == found[0].cue_start
            and self.text[found[0].cue_start : found[0].cue_end] == ":"
        )

    def _leads_in(self, index: int) -> bool:
        """ "X said:" or "X wrote on Facebook:" ending its paragraph."""
        _, end, paragraph = self.sentences[index]
        attributions = self.found[index]
        if not attributions or self.text[end - 1] != ":":
            return False
        following = index + 1
        return (
            following < len(self.sentences)
            and self.sentences[following][2] == paragraph + 1
            and attributions[-1].cue_end >= end - 2
        )

    def _has_cue_word(self, start: int, end: int) -> bool:
        """A cue word the rules refused: the "none" is less certain."""
        return any(
            word.group().lower() in CUE_WORDS
            for word in _WORD.finditer(self.quotes.masked, start, end)
        )

    def _note_subject(self, index: int) -> None:
        """Keep a party acting in a plain sentence as an antecedent ("The ministry
        rejected that account. It said ...", "Kim arrived. He said ...")."""
        start, end, paragraph = self.sentences[index]
        party = leading_party(self.quotes.masked, start, end)
        spans = [party] if party is not None else []
        after = party[1] if party is not None else start
        spans += [
            match.span() for match in _NAME.finditer(self.quotes.masked, after, end)
        ]
        for first, last in spans:
            speaker = self.tracker.speaker(first, last, False, paragraph)
            if speaker.source is not None or speaker.name is not None:
                self.tracker.remember(speaker)

    def _speaker(self, index: int, number: int = 0) -> Speaker:
        """The resolved speaker of attribution ``number`` of sentence ``index``."""
        key = (index, number)
        if key not in self.speakers:
            found = self.found[index][number]
            self.speakers[key] = self.tracker.speaker(
                found.speaker_start,
                found.speaker_end,
                found.pronoun,
                self.sentences[index][2],
            )
        return self.speakers[key]

    def _quotation_speaker(
        self, index: int, previous: tuple[Speaker | None, int]
    ) -> tuple[Speaker | None, str]:
        """Speaker of a quote sentence without an attribution of its own."""
        start, _, paragraph = self.sentences[index]
        quote = self.quotes.at(start)
        owner = self.owners.get(quote.chain) if quote else None
        if owner is not None:
            speaker = self._speaker(owner, len(self.found[owner]) - 1)
            return speaker, _confidence(MEDIUM, speaker)
        signature = self.signed.get(quote.chain) if quote else None
        if signature is not None:
            key = (-1, quote.chain)  # one speaker per signed quotation
            if key not in self.speakers:
                self.speakers[key] = self.tracker.speaker(*signature, False, paragraph)
            return self.speakers[key], MEDIUM
        speaker, previous_paragraph = previous
        if speaker is not None and paragraph - previous_paragraph <= 1:
            return speaker, LOW if paragraph != previous_paragraph else MEDIUM
        return None, LOW

    def _opens_quoted(self, index: int) -> bool:
        """Whether the sentence starts inside a quotation that is most of it."""
        start, end, _ = self.sentences[index]
        quote = self.quotes.at(start)
        if quote is None:
            return False
        if self.found[index] or quote.end >= end - _QUOTE_END_SLACK:
            return True
        if quote.chain in self.signed:
            return True  # "... early.”― Marta Lind": the signature is no claim
        return (quote.end - start) >= _MIN_QUOTED_SHARE * (end - start)

    def _quoted_part(self, attribution: Attribution) -> bool:
        """Whether quotations make up most of a sentence's part."""
        quoted = sum(
            min(quote.end, attribution.end) - max(quote.start, attribution.start)
            for quote in self.quotes.overlapping(attribution.start, attribution.end)
        )
        return quoted >= _MIN_QUOTED_SHARE * (attribution.end - attribution.start)

    def _introduces_quote(self, attribution: Attribution) -> bool:
        """ "X said: “...”": a quotation opens after the cue and runs to the end."""
        if not attribution.quote_intro:
            return False
        after = self.quotes.overlapping(attribution.cue_end, attribution.end)
        return bool(after) and after[0].end >= attribution.end - _QUOTE_END_SLACK

    def _chain_owners(self) -> dict[int, int]:
        """For each quotation chain, the first sentence attributing it."""
        owners: dict[int, int] = {}
        for index, (start, end, _) in enumerate(self.sentences):
            if not self.found[index]:
                continue
            for quote in self.quotes.overlapping(start, end):
                owners.setdefault(quote.chain, index)
        return owners

    def _make(
        self,
        index: int,
        kind: str,
        speaker: Speaker | None,
        attribution: Attribution | None,
        cue: str | None,
        confidence: str,
    ) -> ProposedClaim:
        sentence_start, sentence_end, paragraph = self.sentences[index]
        start, end = (
            (attribution.start, attribution.end)
            if attribution is not None
            else (sentence_start, sentence_end)
        )
        channel = _channel(self.text, attribution)
        return ProposedClaim(
            start=start,
            end=end,
            text=self.text[start:end],
            paragraph=paragraph,
            kind=kind,
            speaker=speaker.text if speaker else None,
            speaker_start=speaker.start if speaker else None,
            speaker_end=speaker.end if speaker else None,
            source=speaker.source if speaker else None,
            channel=channel[0] if channel else None,
            channel_start=channel[1] if channel else None,
            channel_end=channel[2] if channel else None,
            channel_source=self.tracker.resolve(*channel[:2]) if channel else None,
            cue=cue,
            sentence_start=sentence_start,
            sentence_end=sentence_end,
            resolved_name=speaker.name if speaker else None,
            confidence=confidence,
        )


def _confidence(rule: str, speaker: Speaker) -> str:
    """The rule's confidence, lowered by how far the speaker's party was found."""
    if speaker.distance is None or (speaker.distance == FAR and rule == HIGH):
        return LOW if speaker.distance is None or rule != HIGH else MEDIUM
    if speaker.distance == HERE or rule != HIGH:
        return rule if speaker.distance != FAR else LOW
    return HIGH if speaker.source is not None or speaker.name else MEDIUM


def _carried(lead_in: Speaker, paragraph: int) -> Speaker:
    """The lead-in's speaker, credited to the paragraph it introduced."""
    return Speaker(
        lead_in.text,
        lead_in.start,
        lead_in.end,
        lead_in.source,
        lead_in.agreement,
        name=lead_in.name,
        gender=lead_in.gender,
        distance=lead_in.distance,
        paragraph=paragraph,
    )


def _channel(text: str, attribution: Attribution | None) -> tuple[str, int, int] | None:
    if attribution is None or attribution.channel_start is None:
        return None
    start, end = attribution.channel_start, attribution.channel_end
    assert end is not None
    return text[start:end], start, end
