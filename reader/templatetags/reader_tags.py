from django import template

register = template.Library()


@register.filter
def role_on(source, day):
    """The title the source held on the story's date, or None (never a later one)."""
    return source.role_on(day) if source is not None else None
