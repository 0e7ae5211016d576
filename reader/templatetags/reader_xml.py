"""Filters for the XML pages (sitemaps): text XML 1.0 can hold."""

from django import template

from newsroom.hygiene import strip_control_characters

register = template.Library()


@register.filter
def xml_text(value) -> str:
    """``value`` as text without the control characters XML 1.0 refuses."""
    return strip_control_characters(str(value))
