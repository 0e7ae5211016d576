from factcheck.anchoring import reanchor

OLD = "Alpha said one thing. Beta said another.\n\nGamma reported a third thing."


def _spans(body):
    spans = []
    for sentence in (
        "Alpha said one thing.",
        "Beta said another.",
        "Gamma reported a third thing.",
        "Alpha said one changed thing.",
        "Delta is new here.",
    ):
        index = body.find(sentence)
        if index != -1:
            spans.append((index, index + len(sentence)))
    return sorted(spans)


def _claims(body):
    return [(n, s, e, body[s:e]) for n, (s, e) in enumerate(_spans(body), start=1)]


def test_unchanged_sentences_keep_their_identity_where_they_moved():
    new = "Gamma reported a third thing.\n\nAlpha said one thing. Beta said another."
    result = {r.claim_id: r for r in reanchor(_claims(OLD), len(OLD), new, _spans(new))}
    assert [result[n].outcome for n in (1, 2, 3)] == ["moved", "moved", "moved"]
    assert (
        new[result[3].span.start : result[3].span.end]
        == "Gamma reported a third thing."
    )


def test_untouched_text_is_reported_as_the_same_span():
    new = OLD + "\n\nDelta is new here."
    assert [r.outcome for r in reanchor(_claims(OLD), len(OLD), new, _spans(new))] == [
        "same"
    ] * 3


def test_an_edited_sentence_is_changed_and_only_that_one():
    new = OLD.replace("Alpha said one thing.", "Alpha said one changed thing.")
    results = reanchor(_claims(OLD), len(OLD), new, _spans(new))
    assert [r.outcome for r in results] == ["changed", "moved", "moved"]
    assert (
        new[results[0].span.start : results[0].span.end]
        == "Alpha said one changed thing."
    )


def test_a_removed_sentence_is_detached_never_dropped():
    new = "Alpha said one thing.\n\nGamma reported a third thing."
    results = reanchor(_claims(OLD), len(OLD), new, _spans(new))
    assert [r.outcome for r in results] == ["same", "detached", "moved"]
    assert results[1].span is None


def test_a_repeated_sentence_gives_each_claim_its_own_occurrence():
    old = "Same words. Same words."
    claims = [(1, 0, 11, "Same words."), (2, 12, 23, "Same words.")]
    new = "Intro. Same words. Same words."
    results = reanchor(claims, len(old), new, [(0, 6), (7, 18), (19, 30)])
    assert {(r.span.start, r.span.end) for r in results} == {(7, 18), (19, 30)}
