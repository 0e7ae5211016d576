"""Agency formats to items: ninjs 1.x and 2.x, NewsML-G2, hostile input."""

import json

import pytest

from ingest.parsing import FeedUnreadable, html_to_text, parse_feed

NINJS_2 = {
    "uri": "urn:wire:2026:0104-1",
    "version": "3",
    "firstcreated": "2026-01-04T07:50:00Z",
    "headlines": [{"role": "main", "value": "Missiles launched toward sea"}],
    "descriptions": [{"role": "summary", "value": "Seoul reports launches."}],
    "bodies": [
        {
            "role": "main",
            "contenttype": "text/html",
            "value": "<p>The military said it detected a launch.</p>"
            "<p>Experts say more tests are likely.</p>",
        }
    ],
    "located": "SEOUL",
}
NINJS_1 = {
    "uri": "urn:wire:2026:0104-2",
    "headline": "Summit opens",
    "body_text": "Officials said talks began.\n\nThey will run two days.",
    "pubstatus": "usable",
}
NEWSML = b"""<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">
 <itemSet>
  <newsItem guid="urn:newsml:wire:20260104:1" version="2">
   <itemMeta><itemClass qcode="ninat:text"/><pubStatus qcode="stat:usable"/>
    <firstCreated>2026-01-04T07:50:00Z</firstCreated></itemMeta>
   <contentMeta><headline>Typhoon nears coast</headline>
    <description>Landfall expected</description>
    <dateline>MANILA</dateline></contentMeta>
   <contentSet><inlineXML contenttype="application/xhtml+xml">
    <html xmlns="http://www.w3.org/1999/xhtml"><body>
     <p>Forecasters said the storm would land.</p><p>Schools closed.</p>
    </body></html></inlineXML></contentSet>
  </newsItem>
  <newsItem guid="urn:newsml:wire:20260104:2" version="5">
   <itemMeta><pubStatus qcode="stat:canceled"/></itemMeta>
  </newsItem>
 </itemSet>
</newsMessage>"""


def test_ninjs_2_and_1_items_are_read():
    parsed = parse_feed(json.dumps({"items": [NINJS_2, {"item": NINJS_1}]}).encode())
    first, second = parsed.items
    assert (first.guid, first.version, first.dateline) == (
        "urn:wire:2026:0104-1",
        "3",
        "SEOUL",
    )
    assert first.body == (
        "The military said it detected a launch.\n\nExperts say more tests are likely."
    )
    assert first.summary == "Seoul reports launches."
    assert first.published.isoformat() == "2026-01-04T07:50:00+00:00"
    assert second.headline == "Summit opens"
    assert second.body == "Officials said talks began.\n\nThey will run two days."
    assert second.version  # a digest when the agency gives none


def test_newsml_g2_text_items_and_kills_are_read():
    parsed = parse_feed(NEWSML)
    story, killed = parsed.items
    assert (story.guid, story.version, story.dateline) == (
        "urn:newsml:wire:20260104:1",
        "2",
        "MANILA",
    )
    assert story.body == "Forecasters said the storm would land.\n\nSchools closed."
    assert killed.withdrawn and killed.version == "5"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a feed at all",
        b"{",
        b'"a string"',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"/>',
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><unclosed>',
    ],
)
def test_unreadable_feeds_raise_a_clear_error(content):
    with pytest.raises(FeedUnreadable):
        parse_feed(content)


def test_bad_items_are_problems_not_errors():
    bad_date = {"uri": "y", "headline": "h", "body_text": "t", "firstcreated": "no"}
    items = [NINJS_2, {"uri": ""}, {"uri": "x", "headline": "h"}, 7, bad_date]
    parsed = parse_feed(json.dumps(items).encode())
    assert [item.guid for item in parsed.items] == ["urn:wire:2026:0104-1"]
    assert len(parsed.problems) == 4


def test_markup_and_control_characters_do_not_reach_the_draft():
    text = html_to_text(
        "<p>One\x00 <b>bold</b>\x1b word</p><script>alert(1)</script><p>Two</p>"
    )
    assert text == "One bold word\n\nTwo"


def test_an_item_dated_outside_the_sane_years_is_a_problem_not_a_bc_story():
    year_one = {
        "uri": "y1",
        "headline": "h",
        "body_text": "t",
        "firstcreated": "0001-01-01T00:00:00+09:00",
    }
    far = {
        "uri": "y9",
        "headline": "h",
        "body_text": "t",
        "firstcreated": "9999-12-31T23:00:00-05:00",
    }
    parsed = parse_feed(json.dumps([NINJS_2, year_one, far]).encode())
    assert [item.guid for item in parsed.items] == ["urn:wire:2026:0104-1"]
    assert [guid for guid, _ in parsed.problems] == ["y1", "y9"]
    assert all("1900 and 2200" in message for _, message in parsed.problems)
