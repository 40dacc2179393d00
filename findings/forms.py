"""The findings search form: what /findings/ accepts in its URL, and the message for anything else."""

from django import forms

from findings.selectors import SearchChoices

MAX_SEARCH_LENGTH = 200


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
    service = forms.ChoiceField(
        label="Service", required=False, error_messages={"invalid_choice": "Choose one of the services in the list"}
    )
    page = forms.IntegerField(
        label="Page",
        required=False,
        min_value=1,
        error_messages={"invalid": "Must be a whole number", "min_value": "Must be 1 or more"},
    )

    def __init__(self, data, *, choices: SearchChoices):
        super().__init__(data)
        self.fields["kind"].choices = [("", "Any kind"), *choices.kinds]
        self.fields["standard"].choices = [("", "Any standard, theme or domain"), *choices.standards]
        self.fields["rating"].choices = [("", "Any rating"), *choices.ratings]
        self.fields["service"].choices = [("", "Any service"), *choices.services]

    def error_list(self) -> list[tuple[str, str]]:
        """The errors for the GOV.UK error summary, each naming its field and URL parameter: (field id, message)."""
        return [
            (self[name].auto_id, f"{self.fields[name].label} ({name}): {message}")
            for name, messages in self.errors.items()
            for message in messages
        ]
