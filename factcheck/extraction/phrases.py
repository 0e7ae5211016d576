"""Tokens and noun-phrase chunking for the attribution rules.

Works on the quote-masked text of one sentence, so words inside quotations are
invisible here and a quotation reads as a single QUOTE token.
"""

import re
from dataclasses import dataclass

from .lexicon import (
    ADVERBIAL_OPENERS,
    CLAUSE_OPENERS,
    DETERMINERS,
    FUNCTION_WORDS,
    NAME_PARTICLES,
    NP_LINKS,
    NP_PREPOSITIONS,
    QUOTE_MARKS,
    SPEAKER_NOUNS,
    SUBJECT_PRONOUNS,
    TIME_ADVERBS,
    TIME_NOUNS,
    TITLES,
    WEEKDAYS_MONTHS,
)
from .quotes import MASK

WORD, QUOTE, PUNCT = "word", "quote", "punct"
MAX_NP_TOKENS = 12
# A word (with inner hyphens, apostrophes, periods: "Leif-Eric", "hasn't", "U.S"),
# plus a final period when the sentence goes on after it ("U.S. officials").
# "al-Assad", "el-Sisi": a name although its first letter is lower case.
_PREFIXED_NAME = re.compile(r"(?:al|el|ad|as|ash|at|az)-[A-Z]")
# Plural person nouns the lexicon does not list ("strategists", "regulators").
# Only as the subject right before a verb ("Donors were worried, strategists said").
_PLURAL_PERSON = re.compile(r"[a-z]{2,}(?:ers|ors|ists|ians|ants|ents)")
# A singular role noun between a name and a person ("host", "supporter").
_ROLE_NOUN = re.compile(r"[a-z]{2,}(?:er|or|ist|ian|ant|ent|ee)|host|widow|head")
_TOKEN = re.compile(r"\w+(?:[-'\u2019.&]\w+)*(?:\.(?!\s*$))?|" + MASK + r"+|[^\w\s]")
_AGE = re.compile(r"\d+-year-old")
_DATELINE_TOKENS = 14
_DATELINE_DASHES = frozenset({"-", "\u2014", "\u2013"})
# Stops that may follow a speaker named after the verb ("said Smith in a ...").
_INVERSION_STOPS = frozenset(
    [
        "in",
        "on",
        "at",
        "during",
        "who",
        "which",
        "after",
        "before",
        "when",
        "as",
        "while",
        "adding",
        "according",
        "citing",
        "and",
        "but",
    ]
)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    low: str
    start: int
    end: int
    kind: str
    cap: bool


def tokenize(masked: str, start: int, end: int) -> list[Token]:
    """Tokens of ``masked[start:end]`` with absolute offsets."""
    tokens = []
    for match in _TOKEN.finditer(masked, start, end):
        text = match.group()
        first = text[0]
        if first == MASK or first in QUOTE_MARKS:
            kind = QUOTE
        elif first.isalnum() or first == "_":
            kind = WORD
        else:
            kind = PUNCT
        low = text.lower().replace("\u2019", "'")
        cap = first.isupper() or (
            kind == WORD and _PREFIXED_NAME.match(text) is not None
        )
        tokens.append(Token(text, low, match.start(), match.end(), kind, cap))
    return tokens


def is_word(tokens: list[Token], index: int) -> bool:
    return 0 <= index < len(tokens) and tokens[index].kind == WORD


def is_possessive(token: Token) -> bool:
    return token.low.endswith(("'s", "s'"))


def is_age(token: Token) -> bool:
    """ "46-year-old", which heads a phrase ("said the 46-year-old")."""
    return _AGE.fullmatch(token.low) is not None


def is_determiner(token: Token) -> bool:
    return token.kind == WORD and (token.low in DETERMINERS or token.low[0].isdigit())


def np_before(tokens: list[Token], stop: int) -> tuple[int, int] | None:
    """Token range of the noun phrase ending right before ``tokens[stop]``.

    Scans leftwards over names, titles, determiners, modifiers and linking
    prepositions ("The Joint Chiefs of Staff", "people familiar with the matter"),
    stopping at punctuation, quotations and clause words.
    """
    head = stop - 1
    if not is_word(tokens, head):
        return None
    if tokens[head].low in SUBJECT_PRONOUNS:
        return head, stop
    if not valid_head(tokens, head) and not _PLURAL_PERSON.fullmatch(tokens[head].text):
        return None
    first = head
    index = head - 1
    while index >= 0 and stop - index <= MAX_NP_TOKENS:
        step = _extend_left(tokens, index, first)
        if step is None:
            break
        first, index = step
    first = _trim_front(tokens, first, stop)
    return (first, stop) if first < stop else None


def _extend_left(tokens: list[Token], index: int, first: int) -> tuple[int, int] | None:
    """(new first, next index) when ``tokens[index]`` extends the phrase leftwards."""
    token = tokens[index]
    if token.kind != WORD:
        return None
    low = token.low
    if is_determiner(token):
        # "spokesman for the ministry": the determiner hangs off a noun on the left
        if _linked_from_left(tokens, index - 1):
            return index - 1, index - 2
        return index, -1  # otherwise a determiner opens the phrase
    if token.cap:
        if low in CLAUSE_OPENERS or low in WEEKDAYS_MONTHS or low in SUBJECT_PRONOUNS:
            return None
        return index, index - 1
    if low in NP_LINKS or low in SPEAKER_NOUNS:
        return index, index - 1
    if low in NAME_PARTICLES and _between_names(tokens, index):
        return index, index - 1
    if low in ("and", "&") and _joins_names(tokens, index, first):
        return index, index - 1
    if low in NP_PREPOSITIONS and is_word(tokens, index - 1):
        previous = tokens[index - 1]
        if previous.cap or previous.low in SPEAKER_NOUNS or previous.low in NP_LINKS:
            return index, index - 1
        return None
    if _is_modifier(tokens, index):
        return index, index - 1
    return None


def _between_names(tokens: list[Token], index: int) -> bool:
    """ "bin" in "Osama bin Laden", "von der" in "Ursula von der Leyen"."""
    left, right = index - 1, index + 1
    while is_word(tokens, left) and tokens[left].low in NAME_PARTICLES:
        left -= 1
    while is_word(tokens, right) and tokens[right].low in NAME_PARTICLES:
        right += 1
    return (
        is_word(tokens, left)
        and tokens[left].cap
        and is_word(tokens, right)
        and tokens[right].cap
    )


def _linked_from_left(tokens: list[Token], prep: int) -> bool:
    """Whether a determiner at ``prep + 1`` hangs off a noun via a preposition."""
    if not is_word(tokens, prep) or tokens[prep].low not in NP_PREPOSITIONS:
        return False
    if not is_word(tokens, prep - 1):
        return False
    noun = tokens[prep - 1]
    return (
        noun.cap
        or noun.low in SPEAKER_NOUNS
        or noun.low in NP_LINKS
        or (noun.low not in FUNCTION_WORDS and is_determiner_at(tokens, prep - 2))
    )


def is_determiner_at(tokens: list[Token], index: int) -> bool:
    return 0 <= index < len(tokens) and is_determiner(tokens[index])


def _joins_names(tokens: list[Token], index: int, first: int) -> bool:
    """ "South Korea and the U.S.": "and" between two names."""
    right, left = tokens[first], tokens[index - 1] if index > 0 else None
    return (
        left is not None
        and left.kind == WORD
        and (right.cap or is_determiner(right))
        and (left.cap or left.low in SPEAKER_NOUNS)
    )


def _is_modifier(tokens: list[Token], index: int) -> bool:
    """A lower-case word modifying the noun to its right ("senior", "state-run")."""
    token = tokens[index]
    if token.low in FUNCTION_WORDS or token.low in CLAUSE_OPENERS:
        return False
    for back in range(index - 1, max(index - 4, -1), -1):
        left = tokens[back]
        if left.kind != WORD:
            break
        if is_determiner(left) or is_possessive(left) or left.cap:
            return True
        if left.low in FUNCTION_WORDS:
            break
    previous = tokens[index - 1] if index > 0 else None
    return previous is None or previous.kind != WORD or previous.low in FUNCTION_WORDS


def valid_head(tokens: list[Token], index: int) -> bool:
    """Whether ``tokens[index]`` can head a speaker noun phrase."""
    token = tokens[index]
    if token.kind != WORD or is_possessive(token) or token.low in FUNCTION_WORDS:
        return False
    if token.low in NP_PREPOSITIONS:
        return False
    if is_age(token):
        return True  # "said the 46-year-old"
    if is_determiner(token):
        return False
    if token.cap:
        return token.low not in CLAUSE_OPENERS and token.low not in WEEKDAYS_MONTHS
    if token.low in SPEAKER_NOUNS:
        return True
    if token.low in DETERMINERS or not token.low[0].isalpha():
        return False
    for back in range(index - 1, max(index - 4, -1), -1):
        left = tokens[back]
        if left.kind != WORD or left.low in FUNCTION_WORDS - DETERMINERS:
            return False
        if is_determiner(left) or is_possessive(left):
            return True
    return False


def _trim_front(tokens: list[Token], first: int, stop: int) -> int:
    """Drop clause openers and dangling prepositions from the phrase's front."""
    while first < stop - 1:
        low = tokens[first].low
        if (
            (low in CLAUSE_OPENERS and not is_determiner(tokens[first]))
            or low in NP_PREPOSITIONS
            or low in ("and", "&")
            or low in NP_LINKS
        ):
            first += 1
        else:
            break
    return first


def np_after(tokens: list[Token], start: int) -> tuple[int, int] | None:
    """Token range of the noun phrase starting at ``tokens[start]``.

    Used for "according to X", "as cited by X" and speakers named after the verb
    ("said Leif-Eric Easley, professor ..."). Ends at punctuation, a quotation,
    a clause word, a time word, or a second determiner that no preposition links.
    """
    index = start
    last = None
    while index < len(tokens) and index - start < MAX_NP_TOKENS:
        token = tokens[index]
        if token.kind != WORD or _ends_forward(tokens, index, start):
            break
        if valid_head(tokens, index) or token.low in SUBJECT_PRONOUNS - {"it"}:
            last = index
        index += 1
    if last is None:
        return None
    return start, last + 1


def _ends_forward(tokens: list[Token], index: int, start: int) -> bool:
    token = tokens[index]
    low = token.low
    if index > start and tokens[index - 1].cap and _continues_name(tokens, index):
        return False
    if low in WEEKDAYS_MONTHS:  # "figures released Monday by the agency" goes on
        return not (is_word(tokens, index + 1) and tokens[index + 1].low == "by")
    if low in _INVERSION_STOPS - NP_PREPOSITIONS:
        return True
    if low in ("in", "on", "to"):
        return index > start
    if low == "at":
        return is_word(tokens, index + 1) and not tokens[index + 1].cap
    if is_determiner(token) and index > start and not is_age(token):
        return tokens[index - 1].low not in NP_PREPOSITIONS
    if low in FUNCTION_WORDS:
        return low not in NP_PREPOSITIONS
    if token.cap or low in NP_LINKS or index == start:
        return False
    if is_possessive(tokens[index - 1]):  # "Clinton's top foreign policy aide"
        return False
    if not tokens[index - 1].cap or _role_before_name(tokens, index):
        return False
    if _closes_description(tokens, index, start):
        return False
    # after a name, a lower-case word is the verb unless a noun follows
    # ("the Finance Ministry rejected" ends; "the Yonhap news agency" goes on)
    following = tokens[index + 1].low if is_word(tokens, index + 1) else ""
    return low not in SPEAKER_NOUNS and following not in SPEAKER_NOUNS


def _closes_description(tokens: list[Token], index: int, start: int) -> bool:
    """ "Robert Antonacci of the New York delegation.": a lower-case noun closing
    a described name at the end of the clause."""
    return (
        not is_word(tokens, index + 1)
        and not tokens[index].low.endswith("ly")
        and any(tokens[k].low in ("the", "of") for k in range(start, index))
    )


def _role_before_name(tokens: list[Token], index: int) -> bool:
    """ "MSNBC host Chris Matthews", "Trump supporter Jane Doe": a lower-case
    role noun between a name and a personal name goes on."""
    token = tokens[index]
    return (
        (token.low in SPEAKER_NOUNS or _ROLE_NOUN.fullmatch(token.low) is not None)
        and token.low not in FUNCTION_WORDS
        and is_word(tokens, index + 1)
        and tokens[index + 1].cap
        and is_word(tokens, index + 2)
        and tokens[index + 2].cap
    )


def _continues_name(tokens: list[Token], index: int) -> bool:
    """After a name: "of Harvard University", "and Pakistani authorities",
    "bin Salman" go on; what follows must be a name too."""
    low = tokens[index].low
    following = index + 1
    if low in NAME_PARTICLES:
        return _between_names(tokens, index)
    if low not in ("of", "and", "from"):
        return False
    if is_word(tokens, following) and tokens[following].low == "the":
        following += 1
    return is_word(tokens, following) and tokens[following].cap


def ends_clause_after(tokens: list[Token], index: int) -> bool:
    """Whether a speaker named after the verb is complete at ``tokens[index]``."""
    if index >= len(tokens):
        return True
    token = tokens[index]
    return (
        token.kind != WORD
        or token.low in _INVERSION_STOPS
        or token.low in WEEKDAYS_MONTHS
        or (token.low in ("for", "of") and is_word(tokens, index + 1))
    )


def head_token(tokens: list[Token], phrase: tuple[int, int]) -> Token:
    """The phrase's head: the word before its first post-modifier, else the last."""
    first, stop = phrase
    for index in range(first + 1, stop):
        if tokens[index].low in NP_PREPOSITIONS or tokens[index].low in NP_LINKS:
            return tokens[index - 1]
    return tokens[stop - 1]


def leading_subject(
    tokens: list[Token], before: int | None = None
) -> tuple[int, int] | None:
    """The noun phrase opening the sentence's main clause, when a verb follows it.

    Openers ("But", "However,") and adverbial phrases up to their comma ("At a
    rally in Ames, Iowa, on Sunday,", "Hours later,", "When asked,") are skipped;
    the phrase must start before ``tokens[before]``.
    """
    limit = len(tokens) if before is None else before
    first = _past_dateline(tokens, limit)
    while first < limit:
        while first < limit and (
            tokens[first].text == ","
            or (
                is_word(tokens, first)
                and tokens[first].low in CLAUSE_OPENERS
                and tokens[first].low not in ADVERBIAL_OPENERS
                and not is_determiner(tokens[first])
            )
        ):
            first += 1
        comma = next((k for k in range(first, limit) if tokens[k].text == ","), None)
        if comma is None or not adverbial_chunk(tokens, first, comma):
            break
        first = comma + 1
    if not is_word(tokens, first) or first >= limit:
        return None
    if tokens[first].low in SUBJECT_PRONOUNS:
        return first, first + 1
    phrase = np_after(tokens, first)
    if phrase is None:
        return None
    after = _past_appositive(tokens, phrase[1], limit)
    if not is_word(tokens, after) or tokens[after].low in TIME_ADVERBS:
        return None
    return phrase


def _past_appositive(tokens: list[Token], index: int, limit: int) -> int:
    """After "Donald Trump", past ", her Republican opponent," to the verb."""
    if index >= limit or tokens[index].text != ",":
        return index
    opener = tokens[index + 1] if index + 1 < limit else None
    if opener is None or not (opener.cap or is_determiner(opener)):
        return index
    for k in range(index + 1, min(limit, index + MAX_NP_TOKENS)):
        if tokens[k].text == ",":
            return k + 1
        if tokens[k].kind != WORD or tokens[k].low in FUNCTION_WORDS:
            break
    return index


def _past_dateline(tokens: list[Token], limit: int) -> int:
    """Index after a dateline ("LISSEN, Sept 3 (Reuters) -", "HARLOW (AP) —")."""
    if not (tokens and tokens[0].kind == WORD and tokens[0].text.isupper()):
        return 0
    for k in range(1, min(limit, _DATELINE_TOKENS)):
        if tokens[k].text in _DATELINE_DASHES:
            while k + 1 < limit and tokens[k + 1].text in _DATELINE_DASHES:
                k += 1
            return k + 1
    return 0


def adverbial_chunk(tokens: list[Token], first: int, stop: int) -> bool:
    """Whether ``tokens[first:stop]`` is an adverbial phrase, not a subject:
    it opens with a preposition or conjunction ("In a statement", "When asked")
    or is a short time phrase ("Hours later", "Last week", "On Monday")."""
    if first >= stop:
        return False
    if tokens[first].low in ADVERBIAL_OPENERS:
        # "Under Secretary Dana Whitcomb" is a title, not "under"
        return not (is_word(tokens, first + 1) and tokens[first + 1].low in TITLES)
    return stop - first <= 4 and any(
        tokens[k].low in TIME_NOUNS
        or tokens[k].low in TIME_ADVERBS
        or tokens[k].low in WEEKDAYS_MONTHS
        for k in range(first, stop)
    )
