from django.contrib import admin

from learnloop.tasks.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "status", "run_at", "attempts", "locked_by", "finished_at")
    list_filter = ("status", "name")
    search_fields = ("name", "unique_key")
