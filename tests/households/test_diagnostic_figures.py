from decimal import Decimal

from households.models import Diagnostic


def make(**figures) -> Diagnostic:
    base = {
        "persons": 2,
        "income_work": Decimal("1400"),
        "income_family": Decimal("200"),
        "rent": Decimal("500"),
        "recoverable_charges": Decimal("100"),
        "housing_aid": Decimal("120"),
        "energy_costs": Decimal("160"),
    }
    fields = {f.name for f in Diagnostic._meta.fields}
    values = {
        name: Decimal(0)
        for name in fields
        if name.startswith(("income_", "other_", "debt_", "rent_arrears"))
    }
    values.pop("other_debts_detail", None)
    values["rent_arrears_since"] = None
    return Diagnostic(**{**values, **base, **figures})


def test_effort_rate_is_net_housing_cost_over_resources():
    # (500 + 100 − 120) / 1600 = 30 %
    assert make().effort_rate == Decimal("30.0")


def test_effort_rate_counts_other_housing_costs():
    # (500 + 100 + 40 − 120) / 1600 = 32.5 %
    assert make(other_housing_costs=Decimal("40")).effort_rate == Decimal("32.5")


def test_energy_effort_rate_is_energy_spending_over_resources():
    assert make().energy_effort_rate == Decimal("10.0")


def test_rates_are_undefined_without_resources():
    diagnostic = make(income_work=Decimal(0), income_family=Decimal(0))
    assert diagnostic.effort_rate is None
    assert diagnostic.energy_effort_rate is None


def test_remaining_income_is_per_person_per_day():
    # fixed charges: 480 net housing + 160 energy + 50 other + 30 debts = 720
    # (1600 − 720) / 2 persons / 30 days = 14.67
    diagnostic = make(other_fixed_charges=Decimal("50"), debt_repayments=Decimal("30"))
    assert diagnostic.remaining_income_per_day == Decimal("14.67")


def test_remaining_income_can_be_negative():
    diagnostic = make(income_work=Decimal("300"), income_family=Decimal(0), persons=1)
    # (300 − 640) / 1 / 30 = −11.33
    assert diagnostic.remaining_income_per_day == Decimal("-11.33")


def test_arrears_are_counted_in_months_of_rent_with_charges():
    assert make(rent_arrears=Decimal("1500")).arrears_in_months == Decimal("2.5")
