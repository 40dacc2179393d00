"""The inspection page's HTML written in Python: the same HTML as Django's widget, fieldset and tabular-inline
templates write, without a template (and a template lookup and escape per value) for each of the page's thousand
inputs.

A report's page holds some 120 inline rows and a thousand inputs; through Django's templates it took over a second
at first, and most of its time after every other cut. What is here writes that HTML directly:

- ``escape_html``, ``attributes_html`` (``flatatt``) and ``attributes_as_template_writes`` (``attrs.html``);
- widgets that write themselves (``PlainSelect`` with choices shared by every row, ``PlainTextarea``,
  ``PlainInput`` and its kinds), swapped in for Django's by ``plain_widget``; ``select_html`` for any select's
  template context (the autocompletes);
- ``LabelsWrittenInPython`` (``label.html``), ``fieldset_html`` and ``CompactAdminForm``
  (``admin/includes/fieldset.html``);
- ``CompactInlineAdminFormSet`` (``admin/edit_inline/tabular.html``: its headings and rows), whose stored rows are
  written without a form each (``StoredRowWriter``).

Each is tested to write what Django's templates write (tests/inspections/test_admin.py, the inline rows and
fieldsets of an inspector's page, an analyst's (readonly) and a page refused with errors;
tests/inspections/test_admin_html.py, each widget against Django's own). A Django upgrade that changes those
templates fails there first.
"""

from dataclasses import dataclass
from html import escape as escape_text

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_modify import cell_count
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import model_to_dict
from django.template.defaultfilters import capfirst, striptags
from django.templatetags.static import static
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def escape_html(value) -> str:
    """``conditional_escape`` (the same output), without its check for lazy strings on every call: the page escapes
    some twenty thousand values."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape_text(str(value))


def attributes_as_template_writes(attrs: dict | None) -> str:
    """``django/forms/attrs.html``: each attribute in the dictionary's order, False left out, True as a bare name.
    (``attributes_html`` sorts them, as ``flatatt`` does: widgets written in Python use that one.)"""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape_html(value)}"'
        for name, value in (attrs or {}).items()
        if value is not False
    )


def select_html(widget: dict) -> SafeString:
    """A select's template context (``Select.get_context()["widget"]``) written as ``django/forms/widgets/select.html``
    and ``select_option.html`` write it, whitespace included: for a select whose options are its own (an
    autocomplete's chosen rows, grouped choices), where PlainSelect's shared options do not apply."""
    html = [f'<select name="{escape_html(widget["name"])}"{attributes_as_template_writes(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{escape_html(group_name)}">')
        html.extend(
            f'\n  <option value="{escape_html(str(option["value"]))}"'
            f"{attributes_as_template_writes(option['attrs'])}>{escape_html(option['label'])}</option>\n"
            for option in options
        )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return mark_safe("".join(html))  # every value above is escaped


def attributes_html(attrs: dict) -> str:
    """``flatatt``, the same output (sorted, booleans last) in one join: it runs for every input of the page."""
    pairs = sorted((key, value) for key, value in attrs.items() if value is not None and not isinstance(value, bool))
    flags = sorted(key for key, value in attrs.items() if value is True)
    return mark_safe(
        "".join(f' {key}="{escape_html(value)}"' for key, value in pairs) + "".join(f" {key}" for key in flags)
    )


class SharedChoices(BaseChoiceIterator):
    """A choice list shared by every form of a page: Django copies a field's choices into each of its forms, and
    for a few hundred inline rows that copying (of the rows behind the choices) cost more than rendering them.
    Its options' HTML is written once (``options_html``), and once for each choice made (``options_chosen``)."""

    def __init__(self, choices):
        self.choices = tuple(choices)
        self._options_chosen: dict[frozenset[str], str] = {}

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    @cached_property
    def options_html(self) -> list[tuple[str, str, str]] | None:
        """(value, option, option selected) for each choice; None when the choices are grouped."""
        if any(isinstance(label, (list, tuple)) for _, label in self.choices):
            return None
        options = []
        for value, label in self.choices:
            value = "" if value is None else str(value)
            escaped, text = escape_html(value), escape_html(label)
            options.append(
                (
                    value,
                    f'<option value="{escaped}">{text}</option>',
                    f'<option value="{escaped}" selected>{text}</option>',
                )
            )
        return options

    def options_chosen(self, chosen: frozenset[str]) -> str:
        """Every option, the first whose value is ``chosen`` marked selected (as a single select marks it): written
        once for each choice, as a page's selects repeat a few values (a kind, a standard) row after row."""
        html = self._options_chosen.get(chosen)
        if html is None:
            found, options = False, []
            for option_value, option, selected in self.options_html:
                if not found and option_value in chosen:
                    options.append(selected)
                    found = True
                else:
                    options.append(option)
            html = self._options_chosen[chosen] = "".join(options)
        return html


class PlainSelect(forms.Select):
    """A select written out in Python rather than through a template per option.

    A report's page holds about a thousand selects; rendering their options through templates took seconds. With
    shared choices (every row of an inline) the options are written once for the page.
    """

    @property
    def attributes_fixed(self) -> bool:
        """Whether render_written can write it: its attributes do not depend on its value (StoredRowWriter)."""
        return isinstance(self.choices, SharedChoices) and self.choices.options_html is not None

    def render(self, name, value, attrs=None, renderer=None):
        if not self.attributes_fixed:
            return self._render_each_option(name, value, attrs)
        return self.render_written(name, value, attributes_html(self.build_attrs(self.attrs, attrs)))

    def render_written(self, name, value, attributes: str) -> str:
        """The select, its attributes already written (``attributes_html``)."""
        options = self.choices.options_chosen(frozenset(self.format_value(value)))
        return mark_safe(f'<select name="{escape_html(name)}"{attributes}>{options}</select>')

    def _render_each_option(self, name, value, attrs):
        return select_html(self.get_context(name, value, attrs)["widget"])


class PlainTextarea(forms.Textarea):
    """A textarea written out in Python, for the same reason as PlainSelect."""

    attributes_fixed = True

    def render(self, name, value, attrs=None, renderer=None):
        return self.render_written(name, value, attributes_html(self.build_attrs(self.attrs, attrs)))

    def render_written(self, name, value, attributes: str) -> str:
        value = self.format_value(value)
        return mark_safe(f'<textarea name="{escape_html(name)}"{attributes}>\r\n{escape_html(value or "")}</textarea>')


class PlainInput:
    """An input written out in Python, for the same reason as PlainSelect (mixed into Django's input widgets)."""

    attributes_fixed = True

    def render(self, name, value, attrs=None, renderer=None):
        # What Input.get_context gives its template (the value formatted, the attributes merged), without the
        # context dictionaries.
        return self.render_written(name, value, attributes_html(self.build_attrs(self.attrs, attrs)))

    def render_written(self, name, value, attributes: str) -> str:
        value = self.format_value(value)
        shown = f' value="{escape_html(value)}"' if value is not None else ""
        return mark_safe(f'<input type="{self.input_type}" name="{escape_html(name)}"{shown}{attributes}>')


class PlainTextInput(PlainInput, forms.TextInput):
    pass


class PlainNumberInput(PlainInput, forms.NumberInput):
    pass


class PlainHiddenInput(PlainInput, forms.HiddenInput):
    pass


class PlainCheckboxInput(PlainInput, forms.CheckboxInput):
    """Its attributes are one of two: with "checked" when its value is (StoredRowWriter writes both once)."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.check_test(value):  # as CheckboxInput.get_context
            attrs = {**(attrs or {}), "checked": True}
        return super().render(name, value, attrs, renderer)


class PlainAdminDateInput(PlainInput, admin.widgets.AdminDateWidget):
    """The admin's date box, as its template writes it (``<p class="date">``): the value formatted as Django's
    date input formats it; the calendar comes from its media and its "vDateField" class, as before."""

    def render_written(self, name, value, attributes: str) -> str:
        return mark_safe(f'<p class="date">{super().render_written(name, value, attributes)}</p>')


# Most specific first: the admin's own widgets (AdminTextInputWidget, AdminIntegerFieldWidget) are subclasses.
PLAIN_WIDGETS = (
    (forms.CheckboxInput, PlainCheckboxInput),
    (forms.HiddenInput, PlainHiddenInput),
    (forms.NumberInput, PlainNumberInput),
    (forms.TextInput, PlainTextInput),
)


def plain_widget(field) -> None:
    """Swap a form field's input, select, textarea or admin date box for the same widget written out in Python
    (same attributes, same HTML). Other date and time widgets stay Django's."""
    # A related row's select sits inside the admin's add/change links.
    holder = field.widget if isinstance(field.widget, RelatedFieldWidgetWrapper) else field
    widget = holder.widget
    if isinstance(widget, (PlainInput, PlainSelect, PlainTextarea)):
        return
    if type(widget) is admin.widgets.AdminDateWidget:
        holder.widget = PlainAdminDateInput(attrs=widget.attrs, format=widget.format)
    elif isinstance(widget, forms.widgets.DateTimeBaseInput):
        return
    elif type(widget) is forms.Select:
        holder.widget = PlainSelect(attrs=widget.attrs, choices=widget.choices)
    elif type(widget) in (forms.Textarea, admin.widgets.AdminTextareaWidget):
        holder.widget = PlainTextarea(attrs=widget.attrs)
    else:
        plain = next((plain for kind, plain in PLAIN_WIDGETS if isinstance(widget, kind)), None)
        if plain is None:
            return
        holder.widget = plain(attrs=widget.attrs)
        if isinstance(widget, forms.CheckboxInput):
            holder.widget.check_test = widget.check_test
    holder.widget.is_required = widget.is_required


COMPACT_TABULAR = "admin/edit_inline/compact_tabular.html"
FINDINGS_INLINE = "admin/inspections/inspection/findings_inline.html"  # extends COMPACT_TABULAR
# The inline templates that write their rows with CompactInlineAdminFormSet.rows_html.
ROWS_WRITTEN_IN_PYTHON = frozenset({COMPACT_TABULAR, FINDINGS_INLINE})


class LabelsWrittenInPython(forms.ModelForm):
    """A form whose labels are written in Python, as ``django/forms/label.html`` writes them: each label of the
    inspection page's fieldsets took a template and an included one."""

    def render(self, template_name=None, context=None, renderer=None):
        if template_name != self.template_name_label or context is None:
            return super().render(template_name, context, renderer)
        label = escape_html(context["label"])
        if not context["use_tag"]:
            return mark_safe(label)
        tag = escape_html(context["tag"])
        return mark_safe(f"<{tag}{attributes_as_template_writes(context['attrs'])}>{label}</{tag}>")


def _cell_opening(field: helpers.AdminField | helpers.AdminReadonlyField) -> str:
    """A row's cell for a field, as tabular.html opens it."""
    if field.is_readonly:
        name, is_hidden = field.field["name"], field.field["is_hidden"]
    else:
        name, is_hidden = field.field.name, field.field.is_hidden
    css = (f"field-{name}" if name else "") + (" hidden" if is_hidden else "")
    return f'<td class="{escape_html(css)}">'


@dataclass(frozen=True)
class ColumnInput:
    """One input of a StoredRowWriter's rows, "__prefix__" standing for the row's number."""

    name: str
    field: forms.Field
    widget: forms.Widget
    html_name: str
    attrs: dict
    numbered: tuple[str, ...]  # the attributes that hold the row's number
    written: str | None  # the attributes written, where they do not depend on the value (``render_written``)
    written_checked: str | None  # a checkbox's, when it is checked


class StoredRowWriter:
    """Writes an inline's stored rows as their forms would, with no form for each row.

    A page being shown (nothing posted) has nothing in its forms but the stored values: building a form for each
    of a report's hundred-odd rows, and a bound field for each of its thousand inputs, took most of the admin
    page's time. The writer holds one form, the formset's empty form: its inputs, named and numbered with
    "__prefix__" as the admin's inline script copies it for a new row, are written for each stored row with the
    row's number and the row's stored values, which the form reads as a row's form reads them (``model_to_dict``,
    ``get_initial_for_field``, ``prepare_value``). A readonly cell reads the row as Django's readonly field does.
    A page that came back from a save with errors is written from its bound forms instead (rows_html).
    """

    def __init__(self, inline_admin_formset: "CompactInlineAdminFormSet", *, deletable: bool):
        formset = inline_admin_formset.formset
        # The formset's own empty form (a new row's template too): each row's values are put in its initial while
        # that row is written, and its own put back after (its bound fields read theirs when first asked, below).
        self.form = form = formset.empty_form
        self.placeholder = formset.add_prefix("__prefix__")
        self.prefix = formset.prefix
        self.opts = inline_admin_formset.opts
        readonly = inline_admin_formset.readonly_fields
        if not inline_admin_formset.has_change_permission:
            readonly = readonly + flatten_fieldsets(inline_admin_formset.fieldsets)  # as InlineAdminFormSet.__iter__
        self.layout = helpers.InlineAdminForm(
            formset, form, inline_admin_formset.fieldsets, {}, None, readonly, model_admin=self.opts
        )
        self.pk_name = formset._pk_field.name
        hidden = [self.pk_name] if self.layout.needs_explicit_pk_field() else []
        fk = getattr(formset, "fk", None)
        hidden += [fk.name] if fk else []
        self.hidden = [self._input(name) for name in hidden]
        self.cells = [
            (_cell_opening(field), field if field.is_readonly else self._input(field.field.name))
            for fieldset in self.layout
            for line in fieldset
            for field in line
        ]
        self.delete = self._input(DELETION_FIELD_NAME) if deletable else None

    @staticmethod
    def can_write(formset) -> bool:
        """Whether every input of a row comes from its stored values and the row's number alone."""
        form = formset.empty_form
        if formset.can_delete and DELETION_FIELD_NAME not in form.fields:
            return False  # can_delete_extra=False: the empty form has no delete box to copy
        return not any(field.show_hidden_initial for field in form.fields.values())

    def _input(self, name: str) -> "ColumnInput":
        """A field's input with "__prefix__" for the row's number in its name and attributes (as BoundField's
        as_widget gives them for an unbound form)."""
        bound = self.form[name]
        widget = bound.field.widget
        if bound.field.localize:
            widget.is_localized = True
        attrs = bound.build_widget_attrs({}, widget)
        if bound.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", bound.auto_id)
        # Written once for the column where they do not depend on the value (a checkbox's two ways: checked or
        # not); only the row's number changes.
        written = written_checked = None
        if getattr(widget, "attributes_fixed", False):
            written = attributes_html(widget.build_attrs(widget.attrs, attrs))
            if isinstance(widget, PlainCheckboxInput):
                written_checked = attributes_html(widget.build_attrs(widget.attrs, {**attrs, "checked": True}))
        return ColumnInput(
            name=name,
            field=bound.field,
            widget=widget,
            html_name=bound.html_name,
            attrs=attrs,
            numbered=tuple(key for key, value in attrs.items() if isinstance(value, str) and self.placeholder in value),
            written=written,
            written_checked=written_checked,
        )

    def _write(self, column: "ColumnInput", row_prefix: str, value) -> str:
        html_name = column.html_name.replace(self.placeholder, row_prefix)
        value = column.field.prepare_value(value)
        if column.written is not None:
            written = column.written
            if column.written_checked is not None and column.widget.check_test(value):
                written = column.written_checked  # as CheckboxInput.get_context
            return column.widget.render_written(html_name, value, written.replace(self.placeholder, row_prefix))
        attrs = {
            **column.attrs,
            **{key: column.attrs[key].replace(self.placeholder, row_prefix) for key in column.numbered},
        }
        return column.widget.render(name=html_name, value=value, attrs=attrs, renderer=self.form.renderer)

    def row(self, index: int, instance) -> str:
        form, its_own = self.form, self.form.initial
        # What a stored row's form starts from (BaseModelForm.__init__); the formset gives stored rows no initial.
        form.initial = model_to_dict(instance, form._meta.fields, form._meta.exclude)
        try:
            return self._row(index, instance)
        finally:
            form.initial = its_own

    def _row(self, index: int, instance) -> str:
        form = self.form
        row_prefix = f"{self.prefix}-{index}"

        def value(column: ColumnInput):
            if column.name == self.pk_name:
                return instance.pk  # BaseModelFormSet.add_fields gives a stored row's id field its pk
            return form.get_initial_for_field(column.field, column.name)

        url = self.opts.get_view_on_site_url(instance)
        html = [f'<tr class="form-row has_original" id="{escape_html(row_prefix)}"><td class="original"><p>']
        html.append(escape_html(str(instance)))
        if url is not None:
            html.append(f'<a href="{escape_html(url)}">View on site</a>')
        html.append("</p>")
        html.extend(self._write(hidden, row_prefix, value(hidden)) for hidden in self.hidden)
        html.append("</td>")
        for opening, cell in self.cells:
            if isinstance(cell, helpers.AdminReadonlyField):
                cell.form = StoredRowForm(form, instance)
                html.append(f"{opening}<p>{cell.contents()}</p></td>")
            else:
                html.append(f"{opening}{self._write(cell, row_prefix, value(cell))}</td>")
        delete = self._write(self.delete, row_prefix, value(self.delete)) if self.delete else ""
        html.append(f'<td class="delete">{delete}</td></tr>')
        return "".join(html)


class StoredRowForm:
    """The writer's form seen with a stored row as its instance: what a readonly cell reads (``form.instance``,
    ``form.fields``, ``form[name]``)."""

    def __init__(self, form: forms.ModelForm, instance):
        self._form = form
        self.instance = instance

    def __getattr__(self, name):
        return getattr(self._form, name)

    def __getitem__(self, name):
        return self._form[name]


class CompactInlineAdminFormSet(helpers.InlineAdminFormSet):
    """A tabular inline's rows written out in Python: the admin's template renders each of a report's few thousand
    cells through nested template loops, which took most of the page's time. The HTML is the same as
    ``admin/edit_inline/tabular.html`` writes (the admin's inline script relies on it), without "Change" links
    (``show_change_link``), which no inline here uses. On a page being shown, the stored rows are written without
    forms (StoredRowWriter)."""

    @cached_property
    def writes_stored_rows(self) -> bool:
        # Only the templates that call rows_html (ROWS_WRITTEN_IN_PYTHON); Django's own iterates every row's form.
        return (
            self.opts.template in ROWS_WRITTEN_IN_PYTHON
            and not self.formset.is_bound
            and StoredRowWriter.can_write(self.formset)
        )

    def __iter__(self):
        if not self.writes_stored_rows:
            yield from super().__iter__()
            return
        # The new rows alone, as Django's __iter__ gives them after the stored ones: rows_html writes the stored
        # rows without forms, and the only other reader, the prepopulated-fields tag, looks at new rows only.
        # (formset.extra_forms would build every row's form first.)
        formset = self.formset
        new_forms = [
            formset._construct_form(index, **formset.get_form_kwargs(index))
            for index in range(formset.initial_form_count(), formset.total_form_count())
        ]
        for form in [*new_forms, *([formset.empty_form] if self.has_add_permission else [])]:
            yield helpers.InlineAdminForm(
                self.formset,
                form,
                self.fieldsets,
                self.prepopulated_fields,
                None,
                self.readonly_fields,
                model_admin=self.opts,
            )

    @property
    def media(self):
        # Not each row's (Django's): every row has the same widgets (CompactFormSet.media), and merging two hundred
        # rows' media one by one took seconds.
        return self.opts.media + self.formset.media

    def header_html(self) -> SafeString:
        """The table's column headings, as tabular.html writes them (a template loop over each inline's fields)."""
        html = ['<th class="original"></th>']
        for field in self.fields():
            widget = field["widget"]
            is_hidden = widget["is_hidden"] if isinstance(widget, dict) else widget.is_hidden
            html.append(f'<th class="column-{escape_html(field["name"])}{" required" if field["required"] else ""}')
            html.append(f'{" hidden" if is_hidden else ""}">{escape_html(capfirst(field["label"]))}')
            if field["help_text"]:
                text = escape_html(striptags(field["help_text"]))
                icon = escape_html(static("admin/img/icon-unknown.svg"))
                html.append(f'<img src="{icon}" class="help help-tooltip" width="10" height="10" alt="({text})"')
                html.append(f' title="{text}">')
            html.append("</th>")
        deletable = self.formset.can_delete and self.has_delete_permission
        html.append(f"<th>{escape_html(gettext('Delete?')) if deletable else ''}</th>")
        return mark_safe("".join(html))

    def management_form_html(self) -> str:
        """The formset's management form (four hidden inputs), as its template writes it."""
        management = self.formset.management_form
        for field in management.fields.values():
            plain_widget(field)
        return mark_safe("".join(str(bound) for bound in management))

    def rows_html(self) -> str:
        deletable = self.formset.can_delete and self.has_delete_permission
        html = []
        if self.writes_stored_rows:
            writer = StoredRowWriter(self, deletable=deletable)
            html = [writer.row(index, row) for index, row in enumerate(self.formset.get_queryset())]
        rows = list(self)  # every row's form, or only the new rows' when the stored ones are written above
        last = len(html) + len(rows) - 1
        for index, inline_form in enumerate(rows, start=len(html)):
            empty = self.has_add_permission and index == last
            html.append(self._row_from_form(inline_form, index, empty=empty, deletable=deletable))
        return mark_safe("".join(html))

    def _row_from_form(self, inline_form, index: int, *, empty: bool, deletable: bool) -> str:
        html = []
        errors = inline_form.form.non_field_errors()
        # A hidden field's error (a posted id that is not one of the rows shown) has no cell to be shown in.
        hidden_errors = [bound.errors for bound in inline_form.form.hidden_fields() if bound.errors]
        if hidden_errors:
            errors = inline_form.form.error_class(
                [*errors, *(error for field_errors in hidden_errors for error in field_errors)],
                error_class="nonfield",
                renderer=inline_form.form.renderer,
            )
        if errors:
            html.append(f'<tr class="row-form-errors"><td colspan="{cell_count(inline_form)}">{errors}</td></tr>')
        classes = "form-row" + (" has_original" if inline_form.original or inline_form.show_url else "")
        classes += " empty-form" if empty else ""
        row_id = f"{self.formset.prefix}-{'empty' if empty else index}"
        html.append(f'<tr class="{classes}" id="{escape_html(row_id)}"><td class="original">')
        if inline_form.original or inline_form.show_url:
            html.append("<p>")
            if inline_form.original:
                html.append(escape_html(str(inline_form.original)))
            if inline_form.show_url:
                html.append(f'<a href="{escape_html(inline_form.absolute_url)}">View on site</a>')
            html.append("</p>")
        if inline_form.needs_explicit_pk_field():
            html.append(str(inline_form.pk_field().field))
        if inline_form.fk_field():
            html.append(str(inline_form.fk_field().field))
        html.append("</td>")
        for fieldset in inline_form:
            for line in fieldset:
                for field in line:
                    if field.is_readonly:
                        cell = f"<p>{field.contents()}</p>"
                    else:
                        errors = field.field.errors
                        cell = f"{errors.as_ul() if errors else ''}{field.field}"
                    html.append(f"{_cell_opening(field)}{cell}</td>")
        delete = str(inline_form.deletion_field().field) if deletable and inline_form.original else ""
        html.append(f'<td class="delete">{delete}</td></tr>')
        return "".join(html)


def _field_property(field: helpers.AdminField | helpers.AdminReadonlyField, name: str):
    """What a template's ``field.field.<name>`` gives: a bound field's attribute, a readonly field's entry."""
    if field.is_readonly:
        return field.field.get(name, "")
    return getattr(field.field, name)


def fieldset_html(fieldset: helpers.Fieldset, *, heading_id: str, heading_level: int = 2) -> SafeString:
    """A fieldset of the inspection's own form, as ``admin/includes/fieldset.html`` (Django 5.2) writes it, its
    indentation aside: through the template, the page's five fieldsets cost more than a hundred rows of inputs.
    Tested against the template for an inspector, an analyst (every field readonly) and a refused save."""
    name, collapsible = fieldset.name, fieldset.is_collapsible
    html = [f'<fieldset class="module aligned {escape_html(fieldset.classes)}"']
    if name:
        html.append(f' aria-labelledby="{escape_html(heading_id)}">')
        html.append("<details><summary>" if collapsible else "")
        html.append(f'<h{heading_level} id="{escape_html(heading_id)}" class="fieldset-heading">')
        html.append(f"{escape_html(name)}</h{heading_level}>")
        html.append("</summary>" if collapsible else "")
    else:
        html.append(">")
    if fieldset.description:
        html.append(f'<div class="description">{fieldset.description}</div>')  # the template's |safe
    for line in fieldset:
        fields, single = list(line), len(line.fields) == 1
        classes = ["form-row"]
        # An empty error list is written as nothing, but through a template: asked only when there are errors.
        has_errors = any(line.form[name].errors for name in line.fields if name not in line.readonly_fields)
        line_errors = line.errors() if single and has_errors else ""
        classes += [" errors"] if line_errors else []
        classes += [] if line.has_visible_field else [" hidden"]
        names = [escape_html(_field_property(field, "name")) for field in fields]
        classes += [f" field-{field_name}" for field_name in names if field_name]
        html.append(f'<div class="{"".join(classes)}">')
        html.append(line_errors if single else '<div class="flex-container form-multiline">')
        for field, field_name in zip(fields, names, strict=True):
            errors = field.errors() if not field.is_readonly and field.field.errors else ""
            is_hidden = _field_property(field, "is_hidden")
            box = "flex-container"
            if not single:
                box += f" fieldBox{f' field-{field_name}' if field_name else ''}"
                box += f"{' errors' if errors else ''}{' hidden' if is_hidden else ''}"
            box += " checkbox-row" if field.is_checkbox else ""
            html.append(f'<div>{"" if single else errors}<div class="{box}">')
            if field.is_checkbox:
                html.append(f"{field.field}{field.label_tag()}")
            elif field.is_readonly:
                html.append(f'{field.label_tag()}<div class="readonly">{field.contents()}</div>')
            else:
                html.append(f"{field.label_tag()}{field.field}")
            html.append("</div>")
            help_text = _field_property(field, "help_text")
            if help_text:
                label_id = "" if field.is_readonly else field.field.id_for_label
                html.append(f'<div class="help{" hidden" if is_hidden else ""}"')
                html.append(f' id="{escape_html(label_id)}_helptext"' if label_id else "")
                html.append(f"><div>{help_text}</div></div>")  # the template's |safe
            html.append("</div>")
        html.append("" if single else "</div>")
        html.append("</div>")
    html.append("</details></fieldset>" if name and collapsible else "</fieldset>")
    return mark_safe("".join(html))  # every value above is escaped, or marked safe by the template too


class CompactAdminForm(helpers.AdminForm):
    """The inspection's own form, its fieldsets written in Python (``fieldset_html``, called by the page's
    change_form.html as Django's calls admin/includes/fieldset.html: heading level 2, ids fieldset-0-N-heading)."""

    def fieldsets_html(self) -> SafeString:
        return mark_safe(
            "".join(
                fieldset_html(fieldset, heading_id=f"fieldset-0-{index}-heading") for index, fieldset in enumerate(self)
            )
        )
