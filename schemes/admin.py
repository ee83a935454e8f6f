from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AuditEvent, Membership, Notification, Person, Scheme, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_network_viewer", "is_staff"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff", "is_network_viewer"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password", "preferred_language"]}),
        ("Access", {"fields": ["is_active", "is_network_viewer", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    filter_horizontal = []


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "nation", "is_active"]
    list_filter = ["nation", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "scheme", "role", "is_active"]
    list_filter = ["role", "is_active", "scheme"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "scheme"]
    autocomplete_fields = ["user"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["given_name", "family_name", "scheme", "status"]
    list_filter = ["status", "scheme"]
    search_fields = ["given_name", "family_name"]
    list_select_related = ["scheme"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "scheme", "created_at", "emailed_at"]
    list_select_related = ["recipient", "scheme"]
    readonly_fields = ["created_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is never edited, not even by platform administrators."""

    list_display = ["at", "scheme", "user", "action", "what", "description"]
    list_filter = ["action", "scheme"]
    search_fields = ["description", "user__email"]
    list_select_related = ["scheme", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
