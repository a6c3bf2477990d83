"""The indicators every installed app declares in its ``<app>/indicators.py``.

Found the way ``seed_demo`` finds ``demo.py``: for each installed app, in
INSTALLED_APPS order, a module ``<app>.indicators`` is imported if it exists.
It imports nothing from supervision; it declares plain data:

``INDICATORS`` — a list of dicts, one per indicator:
    code              "app.name", unique across apps
    name, unit        gettext_lazy strings (Chinese; the English is in the catalogue)
    measure           "count" (the numerator is the figure) or "rate" (100 × numerator / denominator)
    higher_is_better  False reverses its score in rankings
    min_sample        default of the sample (the rate's denominator) below which an
                      agency is not scored; the live number is ``IndicatorSetting``
    daily(*, within)  a queryset (or iterable) of dicts ``agency_id, day, numerator``
                      [, ``denominator``, ``part``] for the days ``within(field)`` selects
                      (``within`` returns a Q on a datetime field) — one set-based query
    now(*, agency_ids) instead of ``daily`` for a figure of the present moment: dicts
                      ``agency_id, numerator`` [, ``part``]; ``agency_ids`` None = all
    cases(*, agency_ids, within, part)  the base rows behind a figure (a queryset)
    case_row(row)     a dict ``title, url, when, agency, person, note`` for one of them

``CHANGES`` — ``[(append-only model, touched(rows))]``: ``touched`` gets the model's rows
written since the last refresh and yields ``(agency_id, day)`` pairs to recompute.

Declarations are code, so they are read once per process.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

MEASURES = ("count", "rate")
_REQUIRED = ("code", "name", "unit", "measure", "higher_is_better", "min_sample", "cases")


@dataclass(frozen=True)
class Indicator:
    app_label: str
    code: str
    name: str
    unit: str
    measure: str
    higher_is_better: bool
    min_sample: int
    cases: Callable
    case_row: Callable
    daily: Callable | None = None
    now: Callable | None = None

    @property
    def is_rate(self) -> bool:
        return self.measure == "rate"

    @property
    def is_live(self) -> bool:
        return self.now is not None


@dataclass(frozen=True)
class Source:
    """An append-only table whose new rows tell one app's indicators what changed."""

    app_label: str
    model: type
    touched: Callable

    @property
    def key(self) -> str:
        return f"{self.app_label}:{self.model._meta.label_lower}"


@dataclass(frozen=True)
class Registry:
    indicators: dict[str, Indicator]
    sources: tuple[Source, ...]

    def of_app(self, app_label: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.app_label == app_label]

    def apps(self) -> list[str]:
        return list(dict.fromkeys(i.app_label for i in self.indicators.values()))


def _indicator(app_label: str, spec: dict) -> Indicator:
    where = f"{app_label}/indicators.py"
    missing = [key for key in _REQUIRED if key not in spec]
    if missing:
        raise ImproperlyConfigured(f"{where}: indicator {spec.get('code')!r} lacks {missing}")
    code = spec["code"]
    if spec["measure"] not in MEASURES:
        raise ImproperlyConfigured(f"{where}: {code}: measure must be one of {MEASURES}")
    if (spec.get("daily") is None) == (spec.get("now") is None):
        raise ImproperlyConfigured(f"{where}: {code}: declare exactly one of daily or now")
    if not isinstance(spec["min_sample"], int) or spec["min_sample"] < 0:
        raise ImproperlyConfigured(f"{where}: {code}: min_sample must be a whole number ≥ 0")
    return Indicator(
        app_label=app_label,
        code=code,
        name=spec["name"],
        unit=spec["unit"],
        measure=spec["measure"],
        higher_is_better=bool(spec["higher_is_better"]),
        min_sample=spec["min_sample"],
        cases=spec["cases"],
        case_row=spec.get("case_row") or (lambda row: {"title": str(row)}),
        daily=spec.get("daily"),
        now=spec.get("now"),
    )


def discover() -> Registry:
    """Read every installed app's declarations (raises ImproperlyConfigured on a bad one)."""
    indicators: dict[str, Indicator] = {}
    sources: list[Source] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.indicators"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for spec in getattr(module, "INDICATORS", []):
            indicator = _indicator(config.label, spec)
            if indicator.code in indicators:
                raise ImproperlyConfigured(f"indicator {indicator.code} is declared twice")
            indicators[indicator.code] = indicator
        for model, touched in getattr(module, "CHANGES", []):
            sources.append(Source(app_label=config.label, model=model, touched=touched))
    return Registry(indicators=indicators, sources=tuple(sources))


@functools.cache
def registry() -> Registry:
    return discover()


def indicator(code: str) -> Indicator | None:
    return registry().indicators.get(code)
