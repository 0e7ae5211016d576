"""Claims of a body text: every sentence with its proposed attribution.

Reads sentences in order, because attribution carries over: "It said" credits the
last speaker, a quotation running over several sentences or paragraphs is
credited wherever its attribution stands, and a quotation right after one by the
same speaker with no new attribution continues it.
"""

from .attribution import Attribution, find_attribution, leading_party
from .claims import ProposedClaim
from .document import paragraphs, segments
from .quotes import QuoteMap
from .registry import SourceRegistry
from .sentences import segment_sentences
from .speakers import Speaker, SpeakerTracker

# A sentence opening with a quotation is a direct quote when the quotation is
# most of it; a short scare-quoted opening is not.
_MIN_QUOTED_SHARE = 0.4
_QUOTE_END_SLACK = 2  # "“...”." ends a direct quote although "." follows the mark


def extract_claims(
    text: str, registry: SourceRegistry | None = None
) -> list[ProposedClaim]:
    """One claim per sentence of a body text, in order.

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
        find_attribution(quote_map.masked, start, end) for start, end, _ in sentences
    ]
    return _Reader(text, registry, quote_map, sentences, found).claims()


class _Reader:
    """Walks the sentences in order, carrying speakers from one to the next."""

    def __init__(
        self,
        text: str,
        registry: SourceRegistry | None,
        quote_map: QuoteMap,
        sentences: list[tuple[int, int, int]],
        found: list[Attribution | None],
    ) -> None:
        self.text = text
        self.quotes = quote_map
        self.sentences = sentences
        self.found = found
        self.tracker = SpeakerTracker(text, registry)
        self.owners = self._chain_owners()
        self.speakers: dict[int, Speaker] = {}

    def claims(self) -> list[ProposedClaim]:
        result = []
        previous: tuple[Speaker | None, int] = (None, -2)
        for index, (_, _, paragraph) in enumerate(self.sentences):
            claim, speaker = self._claim(index, previous)
            if speaker is not None:
                self.tracker.remember(speaker)
            previous = (speaker, paragraph)
            result.append(claim)
        return result

    def _claim(
        self, index: int, previous: tuple[Speaker | None, int]
    ) -> tuple[ProposedClaim, Speaker | None]:
        end = self.sentences[index][1]
        attribution = self.found[index]
        quoted = self._opens_quoted(index)
        if attribution is not None:
            speaker = self._speaker(index)
            direct = quoted or self._introduces_quote(attribution, end)
            kind = "direct" if direct else "indirect"
            cue = self.text[attribution.cue_start : attribution.cue_end]
            return self._make(index, kind, speaker, attribution, cue), speaker
        if not quoted:
            self._note_subject(index)
            return self._make(index, "none", None, None, None), None
        speaker = self._quotation_speaker(index, previous)
        return self._make(index, "direct", speaker, None, None), speaker

    def _note_subject(self, index: int) -> None:
        """Keep a known party acting in a plain sentence as a pronoun antecedent
        ("The ministry rejected that account. It said ...")."""
        start, end, _ = self.sentences[index]
        party = leading_party(self.quotes.masked, start, end)
        if party is None:
            return
        speaker = self.tracker.speaker(party[0], party[1], pronoun=False)
        if speaker.source is not None:
            self.tracker.remember(speaker)

    def _speaker(self, index: int) -> Speaker:
        """The resolved speaker of sentence ``index`` (resolved once)."""
        if index not in self.speakers:
            found = self.found[index]
            assert found is not None
            self.speakers[index] = self.tracker.speaker(
                found.speaker_start, found.speaker_end, found.pronoun
            )
        return self.speakers[index]

    def _quotation_speaker(
        self, index: int, previous: tuple[Speaker | None, int]
    ) -> Speaker | None:
        """Speaker of a quote sentence without an attribution of its own."""
        start, _, paragraph = self.sentences[index]
        quote = self.quotes.at(start)
        owner = self.owners.get(quote.chain) if quote else None
        if owner is not None:
            return self._speaker(owner)
        speaker, previous_paragraph = previous
        if speaker is not None and paragraph - previous_paragraph <= 1:
            return speaker
        return None

    def _opens_quoted(self, index: int) -> bool:
        """Whether the sentence starts inside a quotation that is most of it."""
        start, end, _ = self.sentences[index]
        quote = self.quotes.at(start)
        if quote is None:
            return False
        if self.found[index] is not None or quote.end >= end - _QUOTE_END_SLACK:
            return True
        return (quote.end - start) >= _MIN_QUOTED_SHARE * (end - start)

    def _introduces_quote(self, attribution: Attribution, end: int) -> bool:
        """ "X said: “...”": a quotation opens after the cue and runs to the end."""
        if not attribution.quote_intro:
            return False
        after = self.quotes.overlapping(attribution.cue_end, end)
        return bool(after) and after[0].end >= end - _QUOTE_END_SLACK

    def _chain_owners(self) -> dict[int, int]:
        """For each quotation chain, the first sentence attributing it."""
        owners: dict[int, int] = {}
        for index, (start, end, _) in enumerate(self.sentences):
            if self.found[index] is None:
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
    ) -> ProposedClaim:
        start, end, paragraph = self.sentences[index]
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
            sentence_start=start,
            sentence_end=end,
        )


def _channel(text: str, attribution: Attribution | None) -> tuple[str, int, int] | None:
    if attribution is None or attribution.channel_start is None:
        return None
    start, end = attribution.channel_start, attribution.channel_end
    assert end is not None
    return text[start:end], start, end
