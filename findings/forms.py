"""The findings search form: what /findings/ accepts in its URL, and the message for anything else."""

from django import forms

from findings.selectors import SearchChoices, finding_search_services, finding_search_services_like

MAX_SEARCH_LENGTH = 200
# A service's name is at most 200 characters, its slug 100.
MAX_SERVICE_LENGTH = 200


class FindingSearchForm(forms.Form):
    """Every parameter is optional; an unknown value is an error that names its parameter, never a guess."""

    q = forms.CharField(
        label="Search text",
        required=False,
        max_length=MAX_SEARCH_LENGTH,
        error_messages={"max_length": f"Must be {MAX_SEARCH_LENGTH} characters or fewer"},
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, error_messages={"invalid_choice": "Choose one of the kinds in the list"}
    )
    standard = forms.ChoiceField(
        label="Standard, theme or domain",
        required=False,
        error_messages={"invalid_choice": "Choose one of the standards, themes or domains in the list"},
    )
    rating = forms.ChoiceField(
        label="Rating", required=False, error_messages={"invalid_choice": "Choose one of the ratings in the list"}
    )
    # A text box, not a list: ten thousand services at national scale are no list to choose from (or to build and
    # render on every request). Links from other pages carry the slug; a person may type the name.
    service = forms.CharField(
        label="Service",
        required=False,
        max_length=MAX_SERVICE_LENGTH,
        error_messages={"max_length": f"Must be {MAX_SERVICE_LENGTH} characters or fewer"},
    )
    page = forms.IntegerField(
        label="Page",
        required=False,
        min_value=1,
        error_messages={"invalid": "Must be a whole number", "min_value": "Must be 1 or more"},
    )

    def __init__(self, data, *, choices: SearchChoices, user):
        super().__init__(data)
        self.user = user
        self.fields["kind"].choices = [("", "Any kind"), *choices.kinds]
        self.fields["standard"].choices = [("", "Any standard, theme or domain"), *choices.standards]
        self.fields["rating"].choices = [("", "Any rating"), *choices.ratings]

    def clean_service(self):
        """The service named by its slug or its full name (any case), or None for any service."""
        name_or_slug = self.cleaned_data["service"]
        if not name_or_slug:
            return None
        services = finding_search_services(user=self.user, name_or_slug=name_or_slug)
        if not services:
            # Not a guess: the services whose names contain what was typed, for the person to choose from.
            like = finding_search_services_like(user=self.user, text=name_or_slug)
            suggestions = "; ".join(f"{service.name} ({service.slug})" for service in like)
            raise forms.ValidationError(
                "No service has this name or slug" + (f". Names that contain it: {suggestions}" if like else ""),
                code="unknown",
            )
        if len(services) > 1 and services[0].slug != name_or_slug:
            raise forms.ValidationError(
                "More than one service has this name: give the slug from its scorecard's address instead",
                code="ambiguous",
            )
        return services[0]

    def error_list(self) -> list[tuple[str, str]]:
        """The errors for the GOV.UK error summary, each naming its field and URL parameter: (field id, message)."""
        return [
            (self[name].auto_id, f"{self.fields[name].label} ({name}): {message}")
            for name, messages in self.errors.items()
            for message in messages
        ]
