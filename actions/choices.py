from django.db import models


class ActionKind(models.TextChoices):
    ENERGY = "energy", "Action 1 — mutation « énergie »"
    SOLVENCY = "solvency", "Action 2 — mutation « solvabilisation »"
    SLIDING_LEASE_EVICTION = "sliding_lease_eviction", "Action 3 — bail glissant à l'assignation"
    SCATTERED_HOUSING = "scattered_housing", "Action 4 — hébergement / bail glissant en diffus"
