"""Word lists the splitter and the attribution rules share.

Kept apart from the rules so that tuning the vocabulary for a newsroom's copy never
means touching the logic. Every entry is lower case. The cue verbs, their context
rules, the plural speaker nouns and the participles were grown from the misses and
false alarms counted on the train and dev splits of the PolNeAR attribution
corpus (word lists only; no text of it is kept here).
"""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


OPEN_QUOTES = "\u201c\u00ab\u201e"  # “ « „
CLOSE_QUOTES = "\u201d\u00bb"  # ” »
STRAIGHT_QUOTE = '"'
QUOTE_MARKS = OPEN_QUOTES + CLOSE_QUOTES + STRAIGHT_QUOTE

# Abbreviations whose period does not end a sentence unless a typical sentence
# opener follows ("around 7:50 a.m. It said ..."). Dotted acronyms (U.S., a.m.) and
# single initials are recognised by shape, so they are not listed.
ABBREVIATIONS = _words(
    """
    mr mrs ms dr prof sr jr st mt ft gen lt col maj capt cmdr adm sgt cpl pvt
    sen rep gov pres supt atty rev fr hon amb brig gens sens reps inc corp co
    ltd llc plc bros dept univ assn vs etc approx est al ave blvd rd jan feb mar
    apr jun jul aug sep sept oct nov dec ala ariz ark calif colo conn del fla ga
    ill ind kan ky la md mass mich minn miss mo mont neb nev okla ore pa tenn vt
    va wash wis wyo mon tue tues wed thu thur thurs fri sat sun
    """
)

# Abbreviations only before a number ("No. 2", "Vol. 3"); "No." ends "He said no."
NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "vol", "fig", "art", "pp"})

# Words that open a sentence; after an abbreviation they mark a real boundary.
SENTENCE_STARTERS = _words(
    """
    the a an it he she they we i you this that these those there here his her
    its their our my but and or so yet however meanwhile still also in on at
    after before during when while if as since because although though according
    some many most several no not one two three four five what who why how where
    despite under for from with by earlier later last next both each all such
    """
)

# Finite speech verbs: "X said ...", "“...,” X told reporters".
SPEECH_VERBS = _words(
    """
    said says say told tells added adds stated states noted notes wrote writes
    explained explains argued argues insisted insists warned warns claimed
    claims confirmed confirms announced announces reported reports declared
    declares acknowledged acknowledges admitted admits asserted asserts stressed
    stresses emphasized emphasizes emphasised emphasises remarked replied
    replies cautioned predicted predicts estimated estimates tweeted posted
    commented testified disclosed revealed reveals conceded concedes contended
    contends alleged alleges denied denies vowed vows pledged pledges promised
    promises reiterated reiterates recalled recalls complained complains warn
    argue note insist claim predict estimate caution contend allege admit
    acknowledge stress emphasize report confirm deny responded responds urged
    urges urge condemned condemns condemn criticized criticizes criticised
    criticises praised praises countered counters questioned echoed echoes
    retorted observed conceded joked boasted bragged lamented mused quipped
    objected protested announce complain recall suggested suggests suggest
    """
) | frozenset(("called", "calls", "charged", "charges", "accused", "accuses"))
# Speech verbs that only report a claim in a given context (see attribution.py):
# "called for", "called X a Y", not "called the police"; "charged that", not
# "charged with"; "accused X of", "blamed X for", "described X as"; "urged that"
# or a quoted appeal, not a request ("urged customers to").
CONTEXT_VERBS = _words(
    """
    called calls charged charges accused accuses blamed blames described
    describes dismissed dismisses agreed agrees urged urges
    """
)
# Plural present forms: "Experts say" is a cue, "A U.N. report released" is a noun.
BASE_FORM_VERBS = _words(
    """
    say warn argue note insist claim predict estimate caution contend allege admit
    acknowledge stress emphasize report confirm deny believe think expect fear
    suspect show suggest indicate
    """
)
# "-s" forms that are also plural nouns ("Sales estimates vary", "TV shows"): a cue
# only when a complement follows ("Kim claims the test ...", "KCNA reports that").
NOUN_LIKE_VERBS = _words(
    """
    claims reports notes estimates states promises pledges vows recalls stresses
    replies shows finds releases issues quotes fears suspects calls charges
    praises counters urges echoes suggests
    """
)
# Only a cue when the speech is quoted next to it ("“Why now?” she asked").
# "asked" also reports an indirect question ("asked whether the plan ...").
QUOTE_ONLY_VERBS = _words("asked asks wondered wonders continued shouted exclaimed")
# Opinion verbs: an attribution only for a person-like or group subject.
COGNITIVE_VERBS = _words(
    """
    believe believes believed think thinks thought expect expects fear fears
    feared suspect suspects suspected
    """
)
# Evidence verbs: an attribution only when a document is the subject.
EVIDENCE_VERBS = _words(
    """
    show shows showed found finds suggest suggests suggested indicate indicates
    indicated concluded concludes
    """
)
# Publishing verbs: a cue only with a media object ("released photos").
MEDIA_VERBS = _words(
    """
    released releases published publishes issued issues posted shared aired
    broadcast distributed circulated unveiled
    """
)
CITE_VERBS = frozenset({"cited", "cites", "quoted", "quotes"})
# Verbs that make a later party in the sentence a channel ("..., KCNA reported").
REPORTING_VERBS = frozenset({"reported", "reports", "said", "says", "cited", "quoted"})

SUBJECT_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})

DETERMINERS = _words(
    """
    the a an its his her their our my your this these those some many most several both
    all two three four five six seven eight nine ten dozens other another one
    few multiple numerous each any
    """
)
# Prepositions that continue a noun phrase ("spokesman for the ministry",
# "people familiar with the matter").
NP_PREPOSITIONS = frozenset({"of", "for", "at", "from", "with", "in", "on", "to", "by"})
# Adjectives that link a head noun to its prepositional complement.
NP_LINKS = frozenset({"familiar", "close", "knowledgeable", "briefed", "involved"})

# Words that never sit inside a speaker noun phrase: they end the backward scan.
FUNCTION_WORDS = _words(
    """
    is are was were be been being am has have had do does did will would can
    could may might must shall should not never no also but and or nor so yet
    that which who whom whose what when where while if as because although
    though since than then there it he she they we i you him them us me itself
    himself herself themselves how why whether after before during about into
    onto over under again already still just only even later earlier previously
    repeatedly separately recently often once now today yesterday tonight first
    by
    """
)
# Words allowed between a subject and its verb ("Koizumi also said").
VERB_PREFIXES = _words(
    """
    also later earlier previously repeatedly separately recently often once
    again already first initially originally publicly privately jointly further
    has have had will would could may might long then now since had reportedly
    only just even still likewise subsequently simply quickly
    """
)
NEGATIONS = frozenset({"not", "never", "neither", "nor", "cannot", "no"})
PASSIVE_AUX = frozenset({"is", "are", "was", "were", "be", "been", "being"})
# Clause openers that can be capitalised at the start of a sentence.
CLAUSE_OPENERS = _words(
    """
    but and or so yet however meanwhile still also instead separately moreover
    earlier later now then thus therefore indeed nonetheless nevertheless in on
    at during after before since when while if as because although though asked
    speaking last this next that
    """
)
# Words opening an adverbial phrase, not a subject ("At a rally in Ohio, ...",
# "Back in 1999, ...", "In a statement, ...").
ADVERBIAL_OPENERS = _words(
    """
    in on at during after before since with without for from by under over
    despite amid among following back through throughout upon within ahead
    unlike like until when while if as because although though once asked
    speaking
    """
)
# Time words: "Hours later, ...", "Trump this week said", "just this month".
TIME_NOUNS = _words(
    """
    week weekend month year day morning afternoon evening night hours days
    weeks months years minutes moments time
    """
)
TIME_ADVERBS = _words("later earlier ago afterward afterwards")
WEEKDAYS_MONTHS = _words(
    """
    monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december jan feb
    mar apr jun jul aug sep sept oct nov dec today yesterday tonight
    """
)

# Common nouns that head a speaker noun phrase even without a determiner
# ("Experts say", "officials said", "U.S. officials said").
GROUP_NOUNS = _words(
    """
    officials experts analysts observers witnesses sources diplomats people
    critics lawmakers legislators authorities police investigators researchers
    scientists economists prosecutors aides advisers advisors activists
    protesters scholars specialists insiders negotiators officers soldiers
    troops doctors historians environmentalists residents villagers survivors
    relatives families organizers organisers spokespeople representatives
    leaders ministers executives bankers traders investors defenders supporters
    opponents voters eyewitnesses bystanders strategists regulators donors
    advocates proponents pollsters democrats republicans conservatives liberals
    forecasters consultants campaigners unions agencies groups others
    """
)
PERSON_NOUNS = _words(
    """
    official expert analyst observer witness resident source diplomat spokesman
    spokeswoman spokesperson representative aide adviser advisor minister
    secretary president director professor researcher scientist economist lawyer
    attorney prosecutor commander officer general ambassador envoy chairman
    chairwoman chair leader executive negotiator lawmaker senator legislator
    governor mayor judge doctor activist historian member person man woman
    analyst engineer manager chief candidate nominee strategist regulator
    pollster donor advocate premier chancellor
    """
)
ORGANISATION_NOUNS = _words(
    """
    ministry agency office government military army navy department service
    command council committee commission company firm group organization
    organisation bank court parliament assembly administration authority regime
    embassy newspaper broadcaster outlet network station union party coalition
    institute university center centre foundation police media cabinet
    secretariat bureau board staff force forces watchdog regulator club team
    television tv radio guard ministries
    """
)
DOCUMENT_NOUNS = _words(
    """
    statement report study survey poll data analysis images imagery photos
    pictures footage video records documents document figures statistics
    assessment investigation review audit research estimates estimate filing
    indictment complaint lawsuit ruling memo letter readout transcript dispatch
    release announcement commentary editorial article notice bulletin
    """
)
SPEAKER_NOUNS = GROUP_NOUNS | PERSON_NOUNS | ORGANISATION_NOUNS | DOCUMENT_NOUNS

# Words of an organisation's name that make "it" rather than "he"/"she" refer to it.
ORGANISATION_NAME_WORDS = ORGANISATION_NOUNS | _words(
    """
    chiefs agency news press times post journal inc corp co ltd llc plc
    association society institution fund reuters xinhua yonhap kcna tass
    """
)

# Titles before a surname ("President Lee", "Defense Minister Koizumi").
TITLES = _words(
    """
    mr mrs ms dr prof president minister secretary gen general sen senator rep
    gov governor chairman chairwoman chair leader spokesman spokeswoman
    spokesperson ambassador envoy mayor judge justice director chief commander
    lt col adm admiral sgt capt maj premier chancellor king queen prince pope
    rev professor vice deputy prime defense defence foreign finance
    """
)

# Words that mark a party as a medium that relays others' words.
MEDIA_WORDS = _words(
    """
    media agency news newspaper newspapers television tv radio broadcaster
    outlet outlets daily times post journal kcna xinhua yonhap reuters ap tass
    interfax wire network channel
    """
)

# Participles that attribute to the sentence's subject after a comma
# ("Other analysts were more cautious, noting that ...").
PARTICIPLE_CUES = _words(
    """
    saying noting adding warning arguing insisting claiming stressing explaining
    telling calling urging accusing describing suggesting writing declaring
    vowing promising predicting acknowledging admitting complaining blaming
    asserting charging contending pledging questioning asking tweeting
    """
)
# "the company said": with no named company earlier, the last organisation spoke.
GENERIC_ORGANISATION_NOUNS = _words(
    """
    company firm group organization organisation business startup lender bank
    carrier airline automaker insurer retailer manufacturer developer utility
    club team regulator watchdog agency
    """
)
# Leading words too common to serve as an organisation's short name.
GENERIC_NAME_WORDS = _words(
    """
    north south east west northern southern eastern western central national
    united new korean american british chinese japanese international federal
    royal state general first global the world union
    """
)

# Lower-case particles inside personal names ("Osama bin Laden", "Ursula von der
# Leyen", "Luiz Inacio Lula da Silva"); "al-"/"el-" prefixes are matched by shape.
NAME_PARTICLES = _words(
    "bin ibn bint al el van von der den de da di du dos del la le ter"
)

# Words in a mention that tell a person's gender, for "he"/"she".
MALE_WORDS = _words(
    """
    mr he him his man spokesman chairman congressman king prince father son
    brother husband sir lord duke
    """
)
FEMALE_WORDS = _words(
    """
    mrs ms miss she her woman spokeswoman chairwoman congresswoman queen
    princess mother daughter sister wife madam lady duchess
    """
)
