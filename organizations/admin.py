from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model, password_validation, update_session_auth_hash
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Value
from django.db.models.functions import Length, Replace
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from efficiency_portal.errors import ApplicationError
from organizations import services, services_accounts
from organizations.admin_base import AgencyScopedAdmin, ServiceErrorMixin
from organizations.admin_exempt import mark_third_party_exemptions
from organizations.admin_library import reregister
from organizations.models import (
    Agency,
    AgencyCategory,
    AuditEvent,
    DutyStatus,
    KeyPost,
    RoleScope,
    StaffProfile,
)
from organizations.roles import AGENCY_ROLES


@admin.register(AgencyCategory)
class AgencyCategoryAdmin(ServiceErrorMixin, admin.ModelAdmin):
    scope_exempt = "global configuration: the list of agency categories"
    list_display = ("name", "code", "name_en", "order")
    list_editable = ("order",)

    def save_model(self, request, obj, form, change):
        services.agency_category_save(actor=request.user, category=obj)

    def has_delete_permission(self, request, obj=None):
        return False  # agencies point at their category (PROTECT); retire it by renaming


@admin.register(RoleScope)
class RoleScopeAdmin(ServiceErrorMixin, admin.ModelAdmin):
    scope_exempt = "global configuration: how far each role sees"
    list_display = ("group", "scope")
    readonly_fields = ("group",)

    def save_model(self, request, obj, form, change):
        services.role_scope_set(actor=request.user, role_scope=obj, scope=obj.scope)

    # The seven roles are created by a migration; only their reach is edited here.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    agency_field = "self"
    list_display = ("tree_name", "code", "category", "parent", "is_active")
    list_filter = ("category", "is_active")
    search_fields = ("name", "short_name", "code")
    readonly_fields = ("path",)

    @admin.display(description=_("名称"), ordering="path")
    def tree_name(self, obj):
        # Ordered by path, so indenting by depth draws the tree in the list.
        return format_html("{}{}", "\u3000" * obj.depth + ("└ " if obj.depth else ""), obj.name)

    def has_delete_permission(self, request, obj=None):
        return False  # clocks, staff and audit rows point at an agency: deactivate it instead

    def get_search_results(self, request, queryset, search_term):
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        if getattr(request.resolver_match, "url_name", "") == "autocomplete":
            # Choosing an agency in a form (e.g. the 呈批 plan): active ones only, the tree's
            # upper levels first, then by name — a search by name finds 局 before 分局.
            depth = Length("path") - Length(Replace("path", Value("/"), Value("")))
            queryset = (
                queryset.filter(is_active=True)
                .annotate(tree_level=depth)
                .order_by("tree_level", "name")
            )
        return queryset, distinct

    def save_model(self, request, obj, form, change):
        data = {name: value for name, value in form.cleaned_data.items() if name != "parent"}
        parent = form.cleaned_data.get("parent")
        if change:
            services.agency_update(actor=request.user, agency=obj, parent=parent, **data)
        else:
            obj.pk = services.agency_create(actor=request.user, parent=parent, **data).pk


class StaffCreateForm(forms.ModelForm):
    """新增工作人员: the account, the profile and its roles in one form (``staff_create``)."""

    username = forms.CharField(label=_("用户名"), max_length=150)
    roles = forms.ModelMultipleChoiceField(
        label=_("角色"),
        queryset=Group.objects.filter(name__in=AGENCY_ROLES),
        widget=forms.CheckboxSelectMultiple,
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    password = forms.CharField(
        label=_("初始密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=True),
        help_text=_("留空则需由系统管理员设置密码后才能登录。"),
    )

    class Meta:
        model = StaffProfile
        fields = ("agency", "name", "post", "phone", "is_unit_head")

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password)
        return password


@admin.register(StaffProfile)
class StaffProfileAdmin(AgencyScopedAdmin):
    list_display = ("name", "agency", "post", "masked_phone", "is_unit_head")
    list_filter = ("is_unit_head",)
    search_fields = ("name", "post", "user__username")
    autocomplete_fields = ("agency",)
    add_form = StaffCreateForm
    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "name",
                    "agency",
                    "roles",
                    "post",
                    "phone",
                    "email",
                    "is_unit_head",
                    "password",
                )
            },
        ),
    )
    fields = ("user", "agency", "name", "post", "phone", "is_unit_head")
    readonly_fields = ("user",)

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj):
        from common.masking import mask_phone

        return mask_phone(obj.phone)

    def has_delete_permission(self, request, obj=None):
        return False  # a staff member leaves by deactivating their account (audited)

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        details = {
            "agency": data["agency"],
            "name": data["name"],
            "post": data.get("post", ""),
            "phone": data.get("phone", ""),
            "is_unit_head": data.get("is_unit_head", False),
        }
        if change:
            services.staff_update(actor=request.user, profile=obj, **details)
            return
        profile = services.staff_create(
            actor=request.user,
            username=data["username"],
            roles=[group.name for group in data["roles"]],
            email=data.get("email", ""),
            password=data.get("password") or None,
            **details,
        )
        obj.pk, obj.user_id = profile.pk, profile.user_id


class KeyPostForm(forms.ModelForm):
    class Meta:
        model = KeyPost
        fields = (
            "agency",
            "title",
            "holder",
            "duties",
            "powers",
            "complaint_channel",
            "is_published",
            "order",
        )

    def clean(self):
        data = super().clean()
        holder, agency = data.get("holder"), data.get("agency")
        if holder and agency and holder.agency_id != agency.pk:
            self.add_error("holder", _("在岗人员必须属于该单位。"))
        return data


@admin.register(KeyPost)
class KeyPostAdmin(AgencyScopedAdmin):
    form = KeyPostForm
    list_display = ("title", "agency", "holder", "is_published", "order")
    list_filter = ("is_published",)
    search_fields = ("title", "duties", "agency__name")

    def save_model(self, request, obj, form, change):
        services.key_post_save(actor=request.user, key_post=obj)

    def delete_model(self, request, obj):
        services.key_post_delete(actor=request.user, key_post=obj)

    def delete_queryset(self, request, queryset):
        for key_post in queryset.select_related("agency"):
            services.key_post_delete(actor=request.user, key_post=key_post)


class DutyStatusForm(forms.ModelForm):
    class Meta:
        model = DutyStatus
        fields = ("staff", "date", "status", "note")


@admin.register(DutyStatus)
class DutyStatusAdmin(AgencyScopedAdmin):
    form = DutyStatusForm
    list_display = ("staff", "agency", "date", "status", "note", "updated_at")
    list_filter = ("status", "date")
    list_editable = ("status", "note")
    date_hierarchy = "date"

    def get_changeform_initial_data(self, request):
        return {"date": timezone.localdate()}

    def save_model(self, request, obj, form, change):
        saved = services.duty_status_set(
            actor=request.user, staff=obj.staff, status=obj.status, date=obj.date, note=obj.note
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.duty_status_delete(actor=request.user, duty=obj)

    def delete_queryset(self, request, queryset):
        for duty in queryset.select_related("agency"):
            services.duty_status_delete(actor=request.user, duty=duty)


@admin.register(AuditEvent)
class AuditEventAdmin(AgencyScopedAdmin):
    list_display = ("occurred_at", "actor", "verb", "subject_type", "subject_id", "agency")
    list_filter = ("verb", "subject_type")
    search_fields = ("subject_id", "verb")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(AgencyScopedAdmin, UserAdmin):
    """Accounts, their roles and permissions: every save is ``user_update`` (audited).

    An account is deactivated, never deleted: audit rows and timelines point at it.
    """

    agency_field = "staff_profile__agency"

    @classmethod
    def scope_test_factory(cls, agency):
        # A user belongs to an agency through its staff profile, which baker cannot build backwards.
        return services.staff_create(
            actor=None,
            username=f"scope-test-{agency.code}-{User.objects.count()}",
            name="范围测试",
            agency=agency,
            roles=[],
        ).user

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            password = data.get("password1") if data.get("set_usable_password", True) else None
            obj.pk = services_accounts.user_create(
                actor=request.user, username=data["username"], password=password
            ).pk
            return
        services_accounts.user_update(
            actor=request.user,
            user=obj,
            fields={name: data[name] for name in services_accounts.USER_FIELDS if name in data},
            groups=data.get("groups"),
            user_permissions=data.get("user_permissions"),
        )
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        pass  # groups and permissions were written by user_update; there are no inlines

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        """A valid password form goes through ``user_set_password``; anything else is Django's page."""
        user = self.get_object(request, unquote(id))
        if (
            request.method == "POST"
            and user is not None
            and self.has_change_permission(request, user)
        ):
            form = self.change_password_form(user, request.POST)
            if form.is_valid() and (
                form.cleaned_data["set_usable_password"] or "unset-password" in request.POST
            ):
                password = (
                    form.cleaned_data["password1"]
                    if form.cleaned_data["set_usable_password"]
                    else None
                )
                try:
                    user = services_accounts.user_set_password(
                        actor=request.user, user=user, password=password
                    )
                except ApplicationError as exc:
                    messages.error(request, exc.message)
                    return HttpResponseRedirect(request.get_full_path())
                messages.success(request, _("密码已修改。") if password else _("已停用密码登录。"))
                update_session_auth_hash(request, user)
                return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))
        return super().user_change_password(request, id, form_url)


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(ServiceErrorMixin, GroupAdmin):
    """Roles (groups) and their permissions, through ``group_create`` / ``group_update`` (audited).

    The seven roles keep their names and cannot be deleted; ``migrate`` never undoes
    a permission change made here (organizations.W001 lists roles that differ).
    """

    scope_exempt = "global configuration: the role groups and their permissions"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services_accounts.group_update(
                actor=request.user, group=obj, name=data["name"], permissions=data["permissions"]
            )
        else:
            obj.pk = services_accounts.group_create(
                actor=request.user, name=data["name"], permissions=data["permissions"]
            ).pk

    def save_related(self, request, form, formsets, change):
        pass  # the permissions were written by the service

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.name in services_accounts.ROLE_NAMES:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services_accounts.group_delete(actor=request.user, group=obj)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            services_accounts.group_delete(actor=request.user, group=group)


# Library admins (beat, axes) registered before this module ran: read-only, or through services.
reregister()
# Contrib and library admins (groups, tokens, beat, axes) registered before this module ran.
mark_third_party_exemptions()
