"""The extractor's output record."""

from dataclasses import dataclass

from .registry import RegistryEntry


@dataclass(frozen=True, slots=True)
class ProposedClaim:
    """One sentence of a body and its proposed attribution.

    Offsets index the text given to ``extract_claims``; ``text == full[start:end]``.
    ``kind`` is "direct" (quoted words), "indirect" (reported speech) or "none"
    (the reporter's own assertion). ``speaker`` is the mention as written ("It",
    "Koizumi"); for a quotation continuing an earlier one its offsets point at the
    earlier mention. ``source`` is the registry entry of the credited party, after
    pronouns are resolved. ``channel`` is the party relaying the speaker's words
    ("KCNA" in "Kim said ..., KCNA reported"). ``sentence_start`` and
    ``sentence_end`` bound the whole sentence the claim belongs to (a sentence
    with two attributions gives two claims, each over its own part).
    ``resolved_name`` is the party's name as the story first gave it ("Leif-Eric
    Easley" for a later "he"), for a party the registry does not know.
    ``confidence`` is "high", "medium" or "low", from the rule that fired and how
    far back the speaker had to be looked for.
    """

    start: int
    end: int
    text: str
    paragraph: int
    kind: str
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    source: RegistryEntry | None
    channel: str | None
    channel_start: int | None
    channel_end: int | None
    channel_source: RegistryEntry | None
    cue: str | None
    sentence_start: int
    sentence_end: int
    resolved_name: str | None
    confidence: str
