"""Where households live: the commune, and its EPCI (intercommunality) when known.

`data/isere_communes_epci.csv` lists every current commune of Isère with its postcodes and
its EPCI (from the French administrative map published by Etalab, package
@etalab/decoupage-administratif 6.0.0, MIT licence). A household's EPCI is known when its
postcode names one commune of the table, or several that share one EPCI, or when its commune
is one of those the postcode serves; a postcode that contradicts the commune, or serves
communes of several EPCIs, leaves it unknown rather than guessed."""

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "isere_communes_epci.csv"
UNKNOWN_EPCI = "EPCI inconnu (hors Isère ou code postal absent)"
UNKNOWN_COMMUNE = "Commune non renseignée"
ARTICLES = ("le ", "la ", "les ", "l ")


@dataclass(frozen=True)
class Commune:
    insee: str
    name: str
    postcodes: tuple[str, ...]
    epci: str


def normalise(name: str) -> str:
    """« Le Pont-de-Claix », « pont de claix » and « PONT-DE-CLAIX » read the same."""
    text = unicodedata.normalize("NFKD", name.strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = " ".join(text.replace("-", " ").replace("'", " ").replace("’", " ").split())
    text = text.replace("saint ", "st ").replace("sainte ", "ste ")
    for article in ARTICLES:
        if text.startswith(article):
            return text[len(article) :]
    return text


@cache
def communes() -> tuple[Commune, ...]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Commune(
                row["code_insee"], row["commune"], tuple(row["codes_postaux"].split()), row["epci"]
            )
            for row in csv.DictReader(handle, delimiter=";")
        )


@cache
def _by_postcode() -> dict[str, list[Commune]]:
    table: dict[str, list[Commune]] = {}
    for commune in communes():
        for postcode in commune.postcodes:
            table.setdefault(postcode, []).append(commune)
    return table


@cache
def _by_name() -> dict[str, list[Commune]]:
    table: dict[str, list[Commune]] = {}
    for commune in communes():
        table.setdefault(normalise(commune.name), []).append(commune)
    return table


def locate(postcode: str, city: str) -> tuple[str, str]:
    """(commune, EPCI) of a household, in the table's spelling when it finds the commune."""
    candidates = _by_postcode().get(postcode.strip(), [])
    named = [c for c in candidates if normalise(c.name) == normalise(city)] if city else []
    if not candidates and city and not postcode.strip():
        named = _by_name().get(normalise(city), [])
    if len(named) == 1:
        return named[0].name, named[0].epci
    commune = city.strip() or UNKNOWN_COMMUNE
    if city and normalise(city) in _by_name():
        # A commune of Isère that the postcode does not serve: one of the two is wrong.
        return commune, UNKNOWN_EPCI
    epcis = {c.epci for c in candidates}
    return commune, epcis.pop() if len(epcis) == 1 else UNKNOWN_EPCI
