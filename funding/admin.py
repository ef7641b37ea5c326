"""Coordinators keep the funding sources (amounts committed and received) and the yearly
budgets in the admin; the ledger is read there, never changed (corrections go through the
budget pages)."""

from django.contrib import admin

from funding.models import FundingSource, LedgerEntry, YearlyBudget


@admin.register(FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "funder", "funder_name", "amount_committed", "amount_received"]
    list_filter = ["year", "kind"]
    search_fields = ["funder__name", "funder_name", "documents"]


@admin.register(YearlyBudget)
class YearlyBudgetAdmin(admin.ModelAdmin):
    list_display = ["year", "amount_engaged", "households_targeted", "flat_fee"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["on", "kind", "partner", "amount", "label", "corrects"]
    list_filter = ["year", "kind"]
    search_fields = ["label"]
    list_select_related = ["partner", "corrects"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
