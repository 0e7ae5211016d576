"""Attribution inside one sentence: who is credited, by which cue, through whom.

Cue words are looked for outside quotations only (the text is quote-masked).
For each cue the subject is found before it ("Experts say"), after it when the
verb follows a quotation or a comma ("“...,” said Leif-Eric Easley"), after an
appositive ("A senior official, who ..., said") or after "according to". Negated,
and infinitive uses ("hasn't commented", "declined to say") and requests ("asked
China to") are not attributions; a passive one is only with its agent ("was
confirmed by the ministry", "was quoted by KCNA as saying").
"""

import re
from dataclasses import dataclass, replace

from .lexicon import (
    ADVERBIAL_OPENERS,
    BASE_FORM_VERBS,
    CITE_VERBS,
    CLAUSE_OPENERS,
    COGNITIVE_VERBS,
    CONTEXT_VERBS,
    DOCUMENT_NOUNS,
    EVIDENCE_VERBS,
    FUNCTION_WORDS,
    GROUP_NOUNS,
    MEDIA_VERBS,
    MEDIA_WORDS,
    NEGATIONS,
    NOUN_LIKE_VERBS,
    NP_PREPOSITIONS,
    PARTICIPLE_CUES,
    PASSIVE_AUX,
    PERSON_NOUNS,
    QUOTE_ONLY_VERBS,
    REPORTING_VERBS,
    SPEAKER_NOUNS,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
    TIME_NOUNS,
    VERB_PREFIXES,
    WEEKDAYS_MONTHS,
)
from .phrases import (
    PUNCT,
    QUOTE,
    WORD,
    Token,
    adverbial_chunk,
    ends_clause_after,
    head_token,
    is_determiner,
    is_possessive,
    is_word,
    leading_subject,
    np_after,
    np_before,
    tokenize,
)

CUE_WORDS = SPEECH_VERBS | QUOTE_ONLY_VERBS | COGNITIVE_VERBS | EVIDENCE_VERBS
CUE_WORDS |= MEDIA_VERBS | CITE_VERBS | CONTEXT_VERBS
# Confidence of the rule that found an attribution, before the speaker is resolved.
HIGH, MEDIUM, LOW = "high", "medium", "low"
_RESEARCHERS = frozenset({"researchers", "investigators", "scientists", "inspectors"})
_MAX_CANDIDATES = 4
_RELAY_PARTICIPLES = frozenset({"carried", "relayed", "aired", "broadcast"})
_COORDINATORS = frozenset({"and", "but", "then"})
_PLURAL_PRONOUNS = frozenset({"they", "we", "i", "you"})
_COMPLEMENT_OPENERS = SUBJECT_PRONOUNS | {"that", "how", "what", "why", "whether"}
_DASHES = frozenset({";", ":", "\u2014", "\u2013", "("})

_SPEECH_TAIL = re.compile(
    r"\s+(?:(?:in|at|during|via|on)\s+(?:a|an|the|its|his|her|their)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:statement|interview|speech|address|briefing|(?:news|press)\s+conference"
    r"|post|message|letter|e-?mail|report|commentary|editorial|dispatch|broadcast"
    r"|video|filing|memo|op-ed|article|podcast|hearing|testimony|readout|tweet"
    r"|release|call)s?"
    r"|on\s+(?:X|Twitter|Facebook|Telegram|Instagram|Weibo|Truth\s+Social"
    r"|social\s+media|(?:its|his|her|their)\s+(?:website|account|channel)))\b"
)
_TOLD_TAIL = re.compile(
    r"\s+(?:reporters|journalists|lawmakers|legislators|senators|parliament|Parliament"
    r"|Congress|supporters|students|the\s+(?:audience|crowd|court|jury|committee"
    r"|council|assembly|conference|summit|forum|meeting|rally|nation|public)"
    r"|an?\s+(?:[\w-]+\s+)?(?:news\s+conference|press\s+conference|briefing|rally"
    r"|meeting|forum|conference|hearing|gathering|summit|audience)"
    r"|(?:The\s+)?[A-Z][\w.&'\u2019-]*(?:\s+[A-Z][\w.&'\u2019-]*){0,3})\b"
)
# "told troops to prepare" gives an order; it does not report a claim.
_DIRECTIVE = re.compile(
    r"(?:\s+[\w.'\u2019-]+){1,4}\s+to\s+"
    r"(?!(?:the|a|an|his|her|its|their|this|that|reporters)\b)[a-z]"
)
_MEDIA_TAIL = re.compile(
    r"\s+(?:(?:a|an|the|new|more|its|their|his|her|two|three|several|some|\d+)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:photos?|photographs?|pictures?|images?|imagery|videos?"
    r"|footage|statements?|data|figures|reports?|readouts?|transcripts?|documents?"
    r"|details|maps?|results|findings)\b"
)
_QUOTE_INTRO = re.compile(r"\s*[,:\u2014]?\s*[\"\u201c\u00ab]")
# What must follow a context verb for it to report speech (see CONTEXT_VERBS).
_CONTEXT = {
    "called": re.compile(
        r"\s+(?:for|on|upon)\b|(?!\s+(?:in|off|up|back|out)\b)"
        r"(?:\s+[\w.'\u2019-]+){1,5}?\s+(?:an?\b|[\"\u201c])"
    ),
    "charged": re.compile(r"\s*(?:that\b|,|[\"\u201c])"),
    "urged": re.compile(r"\s*(?:that\b|[,:]?\s*[\"\u201c])"),
    "accused": re.compile(r"(?:\s+[\w.'\u2019-]+){1,6}?\s+of\b"),
    "blamed": re.compile(r"(?:\s+[\w.'\u2019-]+){1,6}?\s+(?:for|on)\b"),
    "described": re.compile(r"(?:\s+[\w.'\u2019-]+){1,6}?\s+as\b"),
    "dismissed": re.compile(r"(?:\s+[\w.'\u2019-]+){1,6}?\s+as\b"),
    "agreed": re.compile(r"\s+(?:that|with)\b"),
}
_CONTEXT_FORMS = {
    "calls": "called",
    "charges": "charged",
    "accuses": "accused",
    "blames": "blamed",
    "describes": "described",
    "dismisses": "dismissed",
    "agrees": "agreed",
    "urges": "urged",
}
# "asked" reports an indirect question without a quotation next to it.
_INDIRECT_QUESTION = re.compile(
    r"(?:\s+[\w.'\u2019-]+){0,4}?\s+(?:whether|if|why|how|what|when|where|who)\b"
)
# Verbs that take ordinary objects ("adds jobs", "report results").
_OBJECT_VERBS = frozenset(
    {"add", "adds", "added", "report", "reports", "reported", "claimed", "claim"}
)
# A finite verb right after the object makes it a clause ("added costs would rise").
_FINITE_AFTER = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "could",
        "may",
        "might",
        "had",
        "have",
        "has",
    }
)
# Verbs whose speaker may follow them ("..., said the ministry"); not "told"
# (its object is the listener), nor "issued a statement", "called for".
_INVERTING = (SPEECH_VERBS | QUOTE_ONLY_VERBS) - CONTEXT_VERBS - MEDIA_VERBS
_INVERTING -= frozenset({"told", "tells"})
_LY_NOUNS = frozenset({"family", "ally", "assembly", "rally", "daily", "weekly"})
_SINGULAR_DETERMINERS = frozenset({"a", "an", "one", "this", "that", "each", "every"})
# Particles after a tag's verb ("he points out").
_TAG_PARTICLES = frozenset({"out", "back", "on", "up"})
# Infinitives that report speech after "went on to" ("Ham went on to explain").
_BASE_SPEECH = frozenset(
    {"say", "explain", "add", "note", "warn", "argue", "insist", "describe", "write"}
)
# Determiners that stand alone as a plural subject.
_PRONOUN_DETERMINERS = frozenset({"some", "many", "most", "several", "others", "few"})
_SUBORDINATORS = frozenset(
    {"while", "although", "though", "as", "when", "if", "because", "since", "whereas"}
)
# Documents whose "of" names the people asked or studied, not the author.
_SAMPLED = frozenset({"poll", "survey", "study", "analysis", "review", "audit"})
_TIME_DEICTICS = frozenset({"this", "last", "next", "that", "each", "every"})
_SPLIT_OPENERS = frozenset({"while", "but", "whereas", "and", "although", "though"})
_TITLE_CASE_SHARE = 0.7


@dataclass(frozen=True, slots=True)
class Attribution:
    """Offsets (absolute) of a sentence's cue, speaker and channel."""

    cue_start: int
    cue_end: int
    speaker_start: int
    speaker_end: int
    pronoun: bool
    channel_start: int | None = None
    channel_end: int | None = None
    quote_intro: bool = False  # "X said: “...": a quotation opens right after the cue
    confidence: str = HIGH  # of the rule that fired
    # The claim's span: the sentence, or its part when it holds several attributions.
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class _Found:
    verb: str
    speaker: tuple[int, int]  # token range
    cue: tuple[int, int]  # character offsets
    quote_intro: bool = False
    channel: tuple[int, int] | None = None
    relative: bool = False  # "X, who said ..., did Y": a subordinate attribution
    confidence: str = HIGH
    tail: bool = False  # "..., the source added.": governs the whole sentence


def find_attributions(masked: str, start: int, end: int) -> list[Attribution]:
    """The attributions of the sentence ``masked[start:end]``, first to last.

    ``masked`` is the body text with quotations masked. "According to X" before
    another attribution, "as cited by X", or a later reporting medium (", KCNA
    reported") becomes the channel of the other. A sentence holding two
    independent attributions joined by a clause ("X said A, while Y said B")
    gives two, each with its own part of the sentence; otherwise one, spanning
    the sentence.
    """
    tokens = tokenize(masked, start, end)
    found: list[_Found] = []
    channel = None
    title_case = _is_title_case(tokens)
    for index, token in enumerate(tokens):
        if token.kind != WORD or (
            token.cap and token.low != "according" and not title_case
        ):
            continue
        if _relayed_by(tokens, index):
            channel = channel or np_after(tokens, index + 2)
            continue
        hit = (
            _according_to(tokens, index)
            or _verb_attribution(masked, tokens, index)
            or _participle(tokens, index)
        )
        if hit is not None:
            if title_case and token.cap:
                hit = replace(hit, confidence=LOW)
            found.append(hit)
            if len(found) == _MAX_CANDIDATES:
                break
    if not found:
        tag = _quote_tag(tokens)
        if tag is None:
            return []
        found.append(tag)
    second = _second_clause(tokens, found)
    if second is None:
        return [_combine(tokens, found, channel, start, end)]
    split, at = second
    first_end = tokens[split - 1].end
    return [
        _combine(tokens, found[:at], channel, start, first_end),
        _combine(tokens, found[at:], None, tokens[split + 1].start, end),
    ]


def _quote_tag(tokens: list[Token]) -> _Found | None:
    """ "“...,” Bozell concludes." or "“...,” he points out.": a quotation
    closed by its speaker and any verb, with nothing after."""
    end = len(tokens)
    while end > 0 and tokens[end - 1].kind == PUNCT and tokens[end - 1].text in ".!?":
        end -= 1
    verb = end - 1
    if is_word(tokens, verb) and tokens[verb].low in _TAG_PARTICLES:
        verb -= 1
    if not is_word(tokens, verb) or tokens[verb].cap:
        return None
    low = tokens[verb].low
    if low in FUNCTION_WORDS or not low.endswith(("s", "ed")) or low.endswith("ss"):
        return None
    subject = np_before(tokens, verb)
    if subject is None or subject[1] != verb or subject[1] - subject[0] > 4:
        return None
    if not _after_quote(tokens, subject, verb):
        return None
    head = tokens[subject[1] - 1]
    if not (head.cap or head.low in SUBJECT_PRONOUNS or head.low in SPEAKER_NOUNS):
        return None
    cue = (tokens[verb].start, tokens[end - 1].end)
    return _Found(low, subject, cue, confidence=MEDIUM, tail=True)


def _is_title_case(tokens: list[Token]) -> bool:
    """A headline-style sentence ("Minister Says Talks Will Resume")."""
    words = [token for token in tokens if token.kind == WORD and len(token.low) > 3]
    return len(words) >= 3 and sum(
        word.cap for word in words
    ) >= _TITLE_CASE_SHARE * len(words)


def _second_clause(tokens: list[Token], found: list[_Found]) -> tuple[int, int] | None:
    """Where a second, independent attribution's clause begins.

    Returns (index of the comma or semicolon ending the first clause, index in
    ``found`` of the second attribution), when the second has its own speaker
    and cue after a ", while" / ", but" / ";" boundary that follows the first.
    """
    first = found[0]
    if first.relative:
        return None
    for at in range(1, len(found)):
        other = found[at]
        if other.tail:
            return None  # "A, but B, the source added": one attribution
        if (
            other.relative
            or other.verb == "according"
            or other.speaker == first.speaker
        ):
            continue
        first_edge = max(first.speaker[1], _token_at(tokens, first.cue[1]))
        second_edge = min(other.speaker[0], _token_at(tokens, other.cue[0]))
        for k in range(first_edge, second_edge):
            if tokens[k].kind == QUOTE:
                break
            if tokens[k].text == ";" or (
                tokens[k].text == ","
                and is_word(tokens, k + 1)
                and tokens[k + 1].low in _SPLIT_OPENERS
            ):
                return (k, at) if k + 1 < len(tokens) else None
        return None
    return None


def _token_at(tokens: list[Token], offset: int) -> int:
    """Index of the first token ending at or after ``offset``."""
    for index, token in enumerate(tokens):
        if token.end >= offset:
            return index
    return len(tokens)


def _relayed_by(tokens: list[Token], index: int) -> bool:
    """ "as cited by X", "as quoted by X", "in a statement carried by X"."""
    low = tokens[index].low
    if not (is_word(tokens, index + 1) and tokens[index + 1].low == "by"):
        return False
    if low in _RELAY_PARTICIPLES:
        return True
    return (
        low in ("cited", "quoted", "reported")
        and index > 0
        and tokens[index - 1].low == "as"
    )


def _according_to(tokens: list[Token], index: int) -> _Found | None:
    if tokens[index].low != "according" or not is_word(tokens, index + 1):
        return None
    if tokens[index + 1].low != "to":
        return None
    speaker = np_after(tokens, index + 2)
    if speaker is None:
        return None
    return _Found(
        "according",
        _issuer(tokens, speaker),
        (tokens[index].start, tokens[index + 1].end),
    )


def _issuer(tokens: list[Token], phrase: tuple[int, int]) -> tuple[int, int]:
    """ "a statement from the ministry": the ministry, not its statement; but
    "a poll of 18 economists" is the poll (its "of" names whom it asked)."""
    first, stop = phrase
    for k in range(first, stop - 1):
        low, link = tokens[k].low, tokens[k + 1].low
        if low in DOCUMENT_NOUNS and (
            link in ("from", "by") or (link == "of" and low not in _SAMPLED)
        ):
            return k + 2, stop
    return phrase


def _verb_attribution(masked: str, tokens: list[Token], index: int) -> _Found | None:
    verb = tokens[index].low
    went_on = verb in _BASE_SPEECH and _goes_on(tokens, index - 1)
    if (verb not in CUE_WORDS and not went_on) or _reads_as_noun(tokens, index):
        return None
    last, negated, passive, infinitive = _skip_prefixes(tokens, index)
    if negated or infinitive or (last >= 0 and tokens[last].low == "having"):
        return None
    if passive:
        if verb in CITE_VERBS:
            return _passive_quote(tokens, index, last)
        return _passive_by(tokens, index) if verb in SPEECH_VERBS else None
    context = _CONTEXT.get(_CONTEXT_FORMS.get(verb, verb))
    if context is not None and not context.match(masked, tokens[index].end):
        return None
    subject = _subject(tokens, last, index, inverts=verb in _INVERTING)
    if subject is None or _is_hedge(tokens, subject[0]):
        return None
    cue_end = _cue_end(masked, tokens[index], verb)
    if cue_end is None or not _fits_verb(tokens, subject, verb):
        return None
    intro = _QUOTE_INTRO.match(masked, cue_end, tokens[-1].end) is not None
    quoted = intro or _after_quote(tokens, subject, index)
    asks = verb.startswith("ask") and _INDIRECT_QUESTION.match(masked, cue_end)
    if verb in QUOTE_ONLY_VERBS and not (quoted or asks):
        return None
    # "who said ...", and "While he acknowledged ..., Ham noted ...": subordinate
    relative = tokens[last].low == "who" or _subordinate(tokens, subject[0])
    confidence = MEDIUM if context is not None and not quoted else HIGH
    return _Found(
        verb,
        subject,
        (tokens[index].start, cue_end),
        intro,
        relative=relative,
        confidence=confidence,
        tail=_is_tail(tokens, subject, index, cue_end),
    )


def _subordinate(tokens: list[Token], first: int) -> bool:
    """Whether a subject opens a sentence's subordinate clause ("While he ...")."""
    k = first - 1
    while k >= 0 and tokens[k].low in _COORDINATORS:
        k -= 1
    return k == 0 and tokens[0].low in _SUBORDINATORS


def _is_tail(
    tokens: list[Token], subject: tuple[int, int], verb: int, cue_end: int
) -> bool:
    """ "..., the source added." or "..., said the source.": subject and cue
    between a comma and the end of the sentence; or a short tag between commas
    ("Cost estimates, he added, were ...")."""
    first = min(subject[0], verb)
    if first == 0 or tokens[first - 1].text != ",":
        return False
    end = max(cue_end, tokens[subject[1] - 1].end)
    after = [token for token in tokens if token.start >= end]
    if all(token.kind == PUNCT for token in after):
        return True
    short = subject[1] - subject[0] <= 3 and (
        tokens[subject[0]].low in SUBJECT_PRONOUNS or tokens[subject[1] - 1].cap
    )
    return short and bool(after) and after[0].text == ","


def _participle(tokens: list[Token], index: int) -> _Found | None:
    """ "Analysts were cautious, noting that ...": the subject speaks."""
    token = tokens[index]
    if token.low not in PARTICIPLE_CUES or index == 0 or tokens[index - 1].text != ",":
        return None
    if _takes_object(tokens, index):
        return None
    subject = leading_subject(tokens, index)
    if subject is None or subject[1] >= index:
        return None
    return _Found(token.low, subject, (token.start, token.end), confidence=MEDIUM)


def _takes_object(tokens: list[Token], index: int) -> bool:
    """ "adding to her run of wins", "claiming 41 percent of the vote",
    "claiming his third victory": an act, not speech."""
    if not is_word(tokens, index + 1):
        return False
    low, following = tokens[index].low, tokens[index + 1].low
    if low == "adding":
        return following == "to"
    return low == "claiming" and (
        following[0].isdigit() or following in ("his", "her", "its", "their")
    )


def _reads_as_noun(tokens: list[Token], index: int) -> bool:
    """ "Media reports say", "Sales estimates vary", "added to tensions", and
    "adds jobs", "report results": a bare noun object, not reported speech."""
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    low = tokens[index].low
    if following is None or following.kind != WORD:
        # "in 11 swing states.", "the jobs report."; not "“...” Kim claims."
        # nor "..., analysts note."
        if low not in NOUN_LIKE_VERBS and low not in BASE_FORM_VERBS:
            return False
        if following is not None and following.text in ",:":
            return False
        phrase = np_before(tokens, index)
        tagged = (
            phrase is not None and phrase[0] > 0 and tokens[phrase[0] - 1].text == ","
        )
        return not tagged and not any(token.kind == QUOTE for token in tokens[:index])
    if following.low in SPEECH_VERBS or (low == "added" and following.low == "to"):
        return True
    if low in _OBJECT_VERBS and _bare_object(tokens, index + 1):
        return True
    if low.startswith("report") and following.low in ("from", "by"):
        return True  # a credit line: "Lerer reported from Los Angeles."
    if (low in _OBJECT_VERBS or low in NOUN_LIKE_VERBS) and (
        following.low in _FINITE_AFTER
    ):
        return True  # "The strong jobs report has cleared the way"
    return low in NOUN_LIKE_VERBS and not (
        following.cap
        or is_determiner(following)
        or following.low in _COMPLEMENT_OPENERS
    )


def _bare_object(tokens: list[Token], index: int) -> bool:
    """A lower-case noun with no determiner, followed by no verb of its own."""
    word = tokens[index]
    if word.cap or is_determiner(word) or word.low in _COMPLEMENT_OPENERS:
        return False
    if word.low in FUNCTION_WORDS or word.low in VERB_PREFIXES:
        return False
    if word.low in NP_PREPOSITIONS:  # "he added on Twitter"
        return False
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    return after is None or after.kind != WORD or after.low not in _FINITE_AFTER


def _skip_prefixes(tokens: list[Token], index: int) -> tuple[int, bool, bool, bool]:
    """Walk left over auxiliaries and adverbs between subject and verb.

    Returns the index of the subject's last token and whether the verb is
    negated, passive or an infinitive.
    """
    negated = passive = infinitive = False
    k = index - 1
    while k >= 0 and tokens[k].kind == WORD:
        low = tokens[k].low
        if low in NEGATIONS or low.endswith("n't"):
            negated = True
        elif low in PASSIVE_AUX:
            passive = True
        elif low == "to" and _goes_on(tokens, k):
            k -= 2  # "Ham went on to explain": a finite cue
        elif low == "to":
            infinitive = True
        elif low in WEEKDAYS_MONTHS and k > 0 and tokens[k - 1].low == "on":
            k -= 1
        elif low in TIME_NOUNS and k > 0 and tokens[k - 1].low in _TIME_DEICTICS:
            k -= 1  # "Trump this week said", "The bank just last month warned"
        elif _is_adverb(tokens, k):
            pass  # "Morial forcefully told"
        elif low not in VERB_PREFIXES and low not in ("did", "does", "do"):
            break
        k -= 1
    return k, negated, passive, infinitive


def _goes_on(tokens: list[Token], to: int) -> bool:
    """ "went on to", "goes on to" before a verb."""
    return (
        to >= 2
        and tokens[to - 1].low == "on"
        and tokens[to - 2].low in ("went", "goes", "go")
    )


def _is_adverb(tokens: list[Token], k: int) -> bool:
    """A lower-case "-ly" adverb ("forcefully"), not "the family" or "an ally"."""
    token = tokens[k]
    return (
        not token.cap
        and len(token.low) > 5
        and token.low.endswith("ly")
        and token.low not in SPEAKER_NOUNS | _LY_NOUNS
        and not (
            k > 0 and (is_determiner(tokens[k - 1]) or is_possessive(tokens[k - 1]))
        )
    )


def _subject(
    tokens: list[Token], last: int, verb: int, inverts: bool = True
) -> tuple[int, int] | None:
    """Token range of the verb's subject; ``last`` is the token before the verb.

    ``inverts`` is False for verbs whose following noun is the listener ("X, 70,
    told CNN") or the object ("X, a lawyer, noted the rule"), never the
    speaker. A sentence opening on a noun phrase and its appositives ("Ivanka
    Trump, his daughter, noted ...") has its subject there.
    """
    if last < 0:
        return None
    before = tokens[last]
    if before.kind == QUOTE or (before.text == "," and _is_quote(tokens, last - 1)):
        return _inverted(tokens, verb) if inverts else None
    if before.text == ",":
        opening = _appositive(tokens, last, opening=True)
        if opening is not None:
            return opening
        return (_inverted(tokens, verb) if inverts else None) or _appositive(
            tokens, last
        )
    if before.text == ")":
        return _parenthesised(tokens, last)
    if before.low == "who" and last > 0:
        return np_before(tokens, last - 1 if tokens[last - 1].text == "," else last)
    if before.low in _COORDINATORS:
        subject = leading_subject(tokens)  # "It called ... and said ..."
        return subject if subject and subject[1] <= last else None
    if before.kind != WORD:
        return None
    if before.low in _PRONOUN_DETERMINERS and (
        not is_word(tokens, last - 1)
        or (
            tokens[last - 1].low in CLAUSE_OPENERS
            and tokens[last - 1].low not in ADVERBIAL_OPENERS
        )
    ):
        return last, last + 1  # "But some note", "Many believe"
    phrase = np_before(tokens, last + 1)
    if phrase is not None and _governed(tokens, phrase[0] - 1):
        return None  # "from any criminal charges that", "in all five states say"
    if phrase is not None and _relative_object(tokens, phrase[0]):
        # "One of the docs who sent the letter called": the docs, not the letter
        return np_before(tokens, phrase[0] - 2)
    return phrase


def _relative_object(tokens: list[Token], first: int) -> bool:
    """Whether the phrase at ``first`` is the object in "who sent the letter"."""
    return (
        first >= 3
        and tokens[first - 2].low in ("who", "that", "which")
        and is_word(tokens, first - 1)
        and not tokens[first - 1].cap
        and tokens[first - 1].low not in FUNCTION_WORDS
    )


def _governed(tokens: list[Token], index: int) -> bool:
    """Whether a phrase after ``tokens[index]`` is the object of a preposition
    or part of a longer noun phrase, so no subject."""
    if not is_word(tokens, index):
        return False
    token = tokens[index]
    if token.low == "of" or token.low in SUBJECT_PRONOUNS:
        return False  # "74 percent of voters said"; "he" is no object
    return token.low in NP_PREPOSITIONS or is_determiner(token)


def _is_quote(tokens: list[Token], index: int) -> bool:
    return 0 <= index < len(tokens) and tokens[index].kind == QUOTE


def _inverted(tokens: list[Token], verb: int) -> tuple[int, int] | None:
    """A speaker named after the verb: "..., said the ministry in a statement"."""
    if not is_word(tokens, verb + 1):
        return None
    first = tokens[verb + 1]
    if not (first.cap or is_determiner(first) or first.low in SPEAKER_NOUNS):
        return None
    phrase = np_after(tokens, verb + 1)
    if phrase is None or not ends_clause_after(tokens, phrase[1]):
        return None
    if _swallows_verb(tokens, phrase):
        return None  # "..., said the video proved nothing": no speaker
    return phrase


def _swallows_verb(tokens: list[Token], phrase: tuple[int, int]) -> bool:
    """A phrase running on into a clause: a past-tense word right after a
    lower-case noun ("the video proved nothing")."""
    first, stop = phrase
    return any(
        tokens[k].low.endswith("ed")
        and not tokens[k].cap
        and not tokens[k - 1].cap
        and not is_determiner(tokens[k - 1])
        and tokens[k - 1].low not in NP_PREPOSITIONS
        for k in range(first + 1, stop)
    )


def _appositive(
    tokens: list[Token], comma: int, opening: bool = False
) -> tuple[int, int] | None:
    """ "Smith, a professor at X, said": the subject before its appositives.

    Splits what precedes the verb's comma into comma-separated chunks and takes
    the first that is wholly a noun phrase (so an opening "During the trip,"
    is skipped). When that phrase is a common noun followed by a name ("The
    party's leader, Tomas Brenner, said"), the name is the speaker. With
    ``opening``, only a phrase opening the sentence (after adverbials) counts.
    """
    chunks = _comma_chunks(tokens, comma)
    if opening and (not chunks or chunks[0][0] != 0):
        return None
    for number, (first, stop) in enumerate(chunks):
        first = _skip_coordinators(tokens, first, stop)
        if adverbial_chunk(tokens, first, stop):
            continue
        phrase = np_before(tokens, stop)
        if phrase is None or phrase[0] != _past_partitive(tokens, first, stop):
            if opening:
                return None
            continue
        following = chunks[number + 1] if number + 1 < len(chunks) else None
        if following and not tokens[phrase[1] - 1].cap and _is_name(tokens, following):
            return following
        return phrase
    return None


def _past_partitive(tokens: list[Token], first: int, stop: int) -> int:
    """Past "one of", "two of" at a chunk's front ("one of the family's lawyers")."""
    if (
        first + 2 < stop
        and is_determiner(tokens[first])
        and tokens[first + 1].low == "of"
    ):
        return first + 2
    return first


def _comma_chunks(tokens: list[Token], comma: int) -> list[tuple[int, int]]:
    """Token ranges between the commas before ``comma``, back to a clause edge."""
    edges = [comma]
    k = comma - 1
    while k >= 0 and comma - k <= 40:
        token = tokens[k]
        if token.kind == QUOTE or token.text in _DASHES:
            break
        if token.text == ",":
            edges.append(k)
        k -= 1
    edges.append(k)
    edges.reverse()
    return [(edges[i] + 1, edges[i + 1]) for i in range(len(edges) - 1)]


def _skip_coordinators(tokens: list[Token], first: int, stop: int) -> int:
    """Past "and", "But", "However" at a chunk's front (not past "In", "When")."""
    while first < stop and tokens[first].low in _COORDINATORS | CLAUSE_OPENERS:
        if is_determiner(tokens[first]) or tokens[first].low in ADVERBIAL_OPENERS:
            break
        first += 1
    return first


def _is_name(tokens: list[Token], chunk: tuple[int, int]) -> bool:
    """A proper name of one to four capitalised words."""
    first, stop = chunk
    return 0 < stop - first <= 4 and all(
        tokens[i].kind == WORD and tokens[i].cap for i in range(first, stop)
    )


def _parenthesised(tokens: list[Token], close: int) -> tuple[int, int] | None:
    """ "Sen. Jane Doe (D-Calif.) said": skip the parenthesis."""
    for k in range(close - 1, max(close - 12, -1), -1):
        if tokens[k].text == "(":
            return np_before(tokens, k)
    return None


def _is_hedge(tokens: list[Token], first: int) -> bool:
    """ "what it called", "what officials said was": the reporter's hedge."""
    return first > 0 and tokens[first - 1].low == "what"


def _after_quote(tokens: list[Token], subject: tuple[int, int], verb: int) -> bool:
    """Whether the verb attributes a quotation right before it."""
    left = min(subject[0], verb) - 1
    if left >= 0 and tokens[left].text == ",":
        left -= 1
    return _is_quote(tokens, left)


def _cue_end(masked: str, verb: Token, low: str) -> int | None:
    """End of the cue phrase ("said in a statement", "told reporters")."""
    if low in MEDIA_VERBS:
        match = _MEDIA_TAIL.match(masked, verb.end)
        return match.end() if match else None
    if low in ("told", "tells"):
        if _DIRECTIVE.match(masked, verb.end):
            return None
        match = _TOLD_TAIL.match(masked, verb.end)
        return match.end() if match else verb.end
    if low in SPEECH_VERBS:
        match = _SPEECH_TAIL.match(masked, verb.end)
        return match.end() if match else verb.end
    return verb.end


def _fits_verb(tokens: list[Token], subject: tuple[int, int], verb: str) -> bool:
    """Plural forms need a plural subject, opinion verbs a person-like one,
    evidence verbs a document."""
    head = head_token(tokens, subject)
    if verb in BASE_FORM_VERBS and (
        not _is_plural(head) or tokens[subject[0]].low in _SINGULAR_DETERMINERS
    ):
        return False  # "Experts say"; not "a New York Times report"
    person_like = (
        head.cap
        or head.low in GROUP_NOUNS | PERSON_NOUNS
        or (head.low in SUBJECT_PRONOUNS and head.low != "it")
    )
    document = (
        head.low in DOCUMENT_NOUNS
        or head.low.removesuffix("s") in DOCUMENT_NOUNS
        or head.low in _RESEARCHERS
    )
    if verb.startswith("suggest"):  # "Economist X suggested", "The data suggest"
        return person_like or document
    if verb in COGNITIVE_VERBS:
        return person_like
    if verb in EVIDENCE_VERBS:
        return document
    return True


def _is_plural(head: Token) -> bool:
    """Whether a subject agrees with a plural verb ("Experts say", "They say")."""
    if head.low in _PLURAL_PRONOUNS or head.low in GROUP_NOUNS:
        return True
    if head.low in _PRONOUN_DETERMINERS:
        return True
    return head.low.endswith("s") and not head.low.endswith(("ss", "'s"))


def _passive_by(tokens: list[Token], verb: int) -> _Found | None:
    """ "The launch was confirmed by the ministry": the agent speaks."""
    if not is_word(tokens, verb + 1) or tokens[verb + 1].low != "by":
        return None
    agent = np_after(tokens, verb + 2)
    if agent is None:
        return None
    head = head_token(tokens, agent)
    if not (head.cap or head.low in SPEAKER_NOUNS):
        return None
    return _Found(tokens[verb].low, agent, (tokens[verb].start, tokens[verb + 1].end))


def _passive_quote(tokens: list[Token], verb: int, last: int) -> _Found | None:
    """ "Kim was quoted by KCNA as saying": Kim speaks, KCNA relays; "a rule
    is cited on the website" quotes nobody."""
    if not (is_word(tokens, verb + 1) and tokens[verb + 1].low in ("by", "as")):
        return None
    subject = np_before(tokens, last + 1) if is_word(tokens, last) else None
    if subject is None:
        return None
    channel = None
    if is_word(tokens, verb + 1) and tokens[verb + 1].low == "by":
        channel = np_after(tokens, verb + 2)
    cue = (tokens[verb].start, tokens[verb].end)
    return _Found(tokens[verb].low, subject, cue, channel=channel)


def _combine(
    tokens: list[Token],
    found: list[_Found],
    channel: tuple[int, int] | None,
    start: int,
    end: int,
) -> Attribution:
    main = [hit for hit in found if not hit.relative] or found
    # "Clinton had told police ..., the source added.": the closing tag governs
    tails = [
        hit
        for hit in main[1:]
        if hit.tail and hit.verb in _INVERTING and not _relays(tokens, hit)
    ]
    if tails:
        main = [tails[-1], *(hit for hit in main if hit is not tails[-1])]
    # "It called the launches “a provocation” and said ...": the plain cue wins
    plain = [
        hit
        for hit in main
        if hit.speaker == main[0].speaker and hit.verb not in CONTEXT_VERBS
    ]
    if main[0].verb in CONTEXT_VERBS and plain:
        main = [plain[0], *(hit for hit in main if hit is not plain[0])]
    primary, rest = main[0], main[1:]
    channel = channel or primary.channel
    if primary.verb == "according" and rest and rest[0].verb != "according":
        primary, channel = rest[0], channel or primary.speaker
    elif channel is None:
        channel = next(
            (other.speaker for other in rest if _relays(tokens, other)), None
        )
    speaker_first, speaker_stop = primary.speaker
    attribution = Attribution(
        cue_start=primary.cue[0],
        cue_end=primary.cue[1],
        speaker_start=tokens[speaker_first].start,
        speaker_end=tokens[speaker_stop - 1].end,
        pronoun=speaker_stop - speaker_first == 1
        and tokens[speaker_first].low in SUBJECT_PRONOUNS,
        quote_intro=primary.quote_intro,
        confidence=primary.confidence,
        start=start,
        end=end,
    )
    if channel is None or channel == primary.speaker:
        return attribution
    return replace(
        attribution,
        channel_start=tokens[channel[0]].start,
        channel_end=tokens[channel[1] - 1].end,
    )


def _relays(tokens: list[Token], other: _Found) -> bool:
    """A later attribution that is a medium relaying the first speaker."""
    if other.verb == "according" or other.verb in ("reported", "reports"):
        return True
    words = {tokens[i].low for i in range(*other.speaker)}
    return other.verb in REPORTING_VERBS and not words.isdisjoint(MEDIA_WORDS)


def leading_party(masked: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of the noun phrase opening a sentence (a pronoun antecedent)."""
    tokens = tokenize(masked, start, end)
    phrase = leading_subject(tokens)
    if phrase is None:
        return None
    return tokens[phrase[0]].start, tokens[phrase[1] - 1].end
