"""Template tags for ratings: a rating is always its word in a GOV.UK tag, never colour alone."""

from django import template

register = template.Library()

# GOV.UK tag colours; the word carries the meaning, the colour only repeats it.
TAG_COLOURS = {
    "outstanding": "govuk-tag--green",
    "good": "govuk-tag--turquoise",
    "satisfactory": "govuk-tag--blue",
    "requires improvement": "govuk-tag--yellow",
    "unsatisfactory": "govuk-tag--yellow",
    "inadequate": "govuk-tag--red",
    "poor": "govuk-tag--red",
}


@register.inclusion_tag("includes/rating_tag.html")
def rating_tag(rating: str | None, empty: str = "Not rated") -> dict:
    """``{% rating_tag judgement.rating.name %}``: the rating's word in a coloured tag ("Not rated" when none)."""
    name = str(rating) if rating else ""
    return {"label": name or empty, "colour": TAG_COLOURS.get(name.lower(), "govuk-tag--grey")}
