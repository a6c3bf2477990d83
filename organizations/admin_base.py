"""Admin building blocks every app uses: scoped querysets, scoped choices, CSV export, service errors.

``AgencyScopedAdmin`` is the only way an admin for agency-owned data is written:
the list, the change and delete pages, foreign-key choices, search and the CSV
export all start from ``get_queryset``, which applies the one scoping rule. An
admin for global configuration says why in ``scope_exempt`` instead; the test
``tests/organizations/test_scoping_everywhere.py`` refuses any other admin.

That test builds one row in agency A and one in agency B for every scoped admin
with ``model_bakery.baker.make(Model, **{agency_field: agency})``. When baker
cannot build a valid row (a reverse relation such as ``staff_profile__agency``,
a field with a validated format, a row that must come from a service), give the
admin a classmethod hook::

    @classmethod
    def scope_test_factory(cls, agency) -> Model:
        return services.thing_create(actor=None, agency=agency, ...)

It must return a saved row that belongs to ``agency`` through ``agency_field``.

Filters are an allow-list (``DeclaredFiltersOnly``): a URL parameter filters the list
only when the admin declares it (``list_filter``, ``date_hierarchy``, ``allowed_lookups``),
and never when it touches a field declared confidential (efficiency_portal.privacy),
which the CSV export leaves out too.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.widgets import url_params_from_lookup_dict
from django.db import models, transaction
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from common.export import csv_response, xlsx_response
from efficiency_portal.errors import ApplicationError
from efficiency_portal.privacy import confidential_fields, field_path, touches_confidential
from organizations.models import Agency, StaffProfile
from organizations.scoping import scope_queryset


class ServiceErrorMixin:
    """Turn an ApplicationError raised by a service in ``save_model`` into a form error.

    The first attempt runs in a savepoint that is rolled back; the form is then
    validated again with the service's message attached to its field, so the
    page comes back with everything the user typed and a clear error — never a 500.
    """

    def _changeform_view(self, request, object_id, form_url, extra_context):
        try:
            with transaction.atomic():
                return super()._changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as exc:
            request._service_error = exc
            return super()._changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        try:
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        except ApplicationError as exc:
            self.message_user(request, exc.message, level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        error = getattr(request, "_service_error", None)
        if error is None:
            return form_class

        class FormWithServiceError(form_class):
            def clean(self):
                data = super().clean()
                self.add_error(error.field if error.field in self.fields else None, error.message)
                return data

        return FormWithServiceError


class DeclaredFiltersOnly:
    """URL filters are an allow-list: what the page declares, never a confidential field.

    Django's ``ModelAdmin.lookup_allowed`` accepts a filter on any field of the model,
    declared or not: ``?complainant_phone__startswith=1360`` narrowed the worklist to the
    one case whose complainant had not agreed to be known. Here a parameter is accepted
    only when the field it filters on is one the admin declares — a ``list_filter`` entry
    (a field path, or a ``SimpleListFilter``'s parameter), the ``date_hierarchy``, or an
    entry of ``allowed_lookups`` — and never when it touches a confidential field. Any
    other parameter is refused with the same 400 whatever its value, so the answer says
    nothing about the data. The refusal is not Django's security log entry either: that
    would write the value asked for — a phone number, say — into the log.
    """

    allowed_lookups: tuple[str, ...] = ()  # further field paths a link may filter by

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except DisallowedModelAdminLookup:
            return HttpResponseBadRequest(
                _("列表不能按这个条件筛选。请使用右侧的筛选项。"),
                content_type="text/plain; charset=utf-8",
            )

    def lookup_allowed(self, lookup, value, request=None):
        if touches_confidential(self.model, lookup):
            return False
        if lookup in self._declared_filters(request) or self._limits_choices(lookup, value):
            return True
        path = field_path(self.model, lookup)
        # ``category__id__exact`` filters on ``category``: the related row's key is the FK.
        if len(path) > 1 and path[-1].primary_key and path[-2].is_relation:
            path = path[:-1]
        return bool(path) and "__".join(f.name for f in path) in self._declared_filters(request)

    def _declared_filters(self, request) -> set[str]:
        declared = set(self.allowed_lookups)
        if self.date_hierarchy:
            declared.add(self.date_hierarchy)
        for item in self.get_list_filter(request):
            if isinstance(item, list | tuple):
                declared.add(item[0])
            elif isinstance(item, str):
                declared.add(item)
            else:  # a SimpleListFilter reads its own parameter
                declared.add(item.parameter_name)
        return declared

    def _limits_choices(self, lookup, value) -> bool:
        """A related-object popup narrowed by a ForeignKey's ``limit_choices_to``."""
        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in url_params_from_lookup_dict(fk_lookup).items():
                return True
        return False


def export_fields(modeladmin) -> list[models.Field]:
    """The columns of the CSV export: every concrete field but the confidential ones and
    the admin's ``export_exclude``."""
    left_out = confidential_fields(modeladmin.model) | set(
        getattr(modeladmin, "export_exclude", ())
    )
    return [f for f in modeladmin.model._meta.concrete_fields if f.name not in left_out]


def _export_rows(modeladmin, queryset, fields):
    for row in queryset.iterator(chunk_size=2000):
        yield [modeladmin.export_value(row, f) for f in fields]


@admin.action(description=_("导出所选为 CSV"))
def export_csv(modeladmin, request, queryset):
    """Export the selected rows; the queryset is already scoped by ``get_queryset``.

    Cells that a spreadsheet would run as a formula are neutralised (``common.export``).
    """
    fields = export_fields(modeladmin)
    return csv_response(
        stem=modeladmin.model._meta.model_name,
        header=[str(f.verbose_name) for f in fields],
        rows=_export_rows(modeladmin, queryset, fields),
    )


@admin.action(description=_("导出所选为 Excel"))
def export_xlsx(modeladmin, request, queryset):
    """The same rows and columns as the CSV export, as an XLSX workbook."""
    fields = export_fields(modeladmin)
    return xlsx_response(
        stem=modeladmin.model._meta.model_name,
        header=[str(f.verbose_name) for f in fields],
        rows=_export_rows(modeladmin, queryset, fields),
    )


class AgencyScopedAdmin(DeclaredFiltersOnly, ServiceErrorMixin, admin.ModelAdmin):
    """A ModelAdmin whose rows belong to an agency reached by ``agency_field``."""

    agency_field = "agency"
    export_exclude: tuple[str, ...] = ()
    actions = [export_csv, export_xlsx]

    def get_queryset(self, request):
        return scope_queryset(
            super().get_queryset(request), request.user, agency_field=self.agency_field
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _scope_choices(self, db_field, request, kwargs) -> None:
        """Staff can only point at rows they could open: agencies, colleagues, and any model
        whose own admin is agency-scoped are offered through the same scoping rule."""
        related = db_field.related_model
        related_admin = self.admin_site._registry.get(related)
        if related is Agency:
            agency_field = "self"
        elif related is StaffProfile:
            agency_field = "agency"
        elif isinstance(related_admin, AgencyScopedAdmin):
            agency_field = related_admin.agency_field
        else:
            return
        base = kwargs.get("queryset")
        if base is None:
            base = related._default_manager.all()
            if related is StaffProfile:
                base = base.select_related("agency")
        kwargs["queryset"] = scope_queryset(base, request.user, agency_field=agency_field)

    @staticmethod
    def export_value(row, field) -> str:
        value = getattr(row, field.attname)
        if field.choices:
            value = getattr(row, f"get_{field.name}_display")()
        return "" if value is None else str(value)


class ReadOnlyAdminMixin:
    """An admin that shows rows and changes none: no add, change or delete page, no bulk action.

    For rows written by their own code — security logs, the beat schedule built from
    ``efficiency_portal/schedule.py`` — where an edit in the admin would bypass the
    code (and its audit) that owns them.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}
