from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from learnloop.accounts.models import ApiToken, Invitation, Membership, Organisation, Team, User


@admin.register(User)
class LearnloopUserAdmin(UserAdmin):
    list_display = (
        "email",
        "display_name",
        "organisation",
        "is_org_admin",
        "is_staff",
        "is_active",
    )
    list_filter = ("is_org_admin", "is_staff", "is_active", "organisation")
    search_fields = ("email", "display_name")
    ordering = ("email",)
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Learnloop", {"fields": ("display_name", "organisation", "is_org_admin")}),
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "slug")
    search_fields = ("name",)
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "team", "role", "expires_at", "accepted_at", "revoked_at")
    exclude = ("token_hash",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "hint", "created_at", "last_used_at", "revoked_at")
    exclude = ("token_hash",)
