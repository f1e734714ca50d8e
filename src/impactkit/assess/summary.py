"""Many profiles at once: the region's view of its impact entrepreneurs (`assess summary`:
counts per theme and level per year, movement between years, SDG targets, measured values;
pseudonymised by default) and one enterprise's progress over the years (`assess history`).

Only levels, themes and measured values leave the answers files; written answers never do."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from impactkit import __version__
from impactkit.assess.answers import ENTERPRISE, Assessment
from impactkit.assess.levels import ThemeResult, decimals, evaluate, half_up, target_group_share_exact
from impactkit.assess.model import Catalogue, Indicator
from impactkit.assess.profile import SCHEMA, gap_text, measure_text, sources
from impactkit.assess.reading import load
from impactkit.errors import InputFileError, InvalidInputError, Problem
from impactkit.i18n import Translator

SUFFIXES = (".yaml", ".yml")


@dataclass
class Profile:
    file: str
    assessment: Assessment
    results: dict[str, ThemeResult]

    @property
    def year(self) -> int:
        year = self.assessment.year
        if year is None:  # read_profiles refuses a file without its year
            raise ValueError(f"{self.file} has no year")
        return year

    def level(self, theme: str) -> int | None:
        result = self.results.get(theme)
        return None if result is None else result.level


def answer_files(paths: list[Path]) -> list[Path]:
    """The files given, with a folder standing for every .yaml file in it (sorted by name)."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
            if not found:
                raise InputFileError(Problem("assess_no_answer_files", file=str(path)))
            out += found
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def read_profiles(cat: Catalogue, paths: list[Path]) -> list[Profile]:
    """Read every file; report all problems of all files at once. Each needs a name and a year,
    and one enterprise appears at most once per year."""
    profiles, problems = [], []
    seen: dict[tuple[str, int], str] = {}
    for path in answer_files(paths):
        try:
            assessment = load(path, cat)
        except InvalidInputError as exc:
            problems += exc.problems
            continue
        if not assessment.key:
            problems.append(Problem("assess_name_missing", file=str(path), where=("enterprise",), field="name"))
        if assessment.year is None:
            problems.append(Problem("assess_year_missing", file=str(path), where=("enterprise",), field="year"))
        if not assessment.key or assessment.year is None:
            continue
        other = seen.get((assessment.key, assessment.year))
        if other is not None:
            problems.append(Problem("assess_summary_twice", {"name": assessment.name or assessment.id,
                                                             "year": assessment.year, "other": other}, file=str(path)))
            continue
        seen[(assessment.key, assessment.year)] = str(path)
        results = {r.theme: r for r in evaluate(cat, assessment)}
        profiles.append(Profile(str(path), assessment, results))
    if problems:
        raise InvalidInputError(problems)
    return profiles


# values over many enterprises ----------------------------------------------------------------

def _median(values: list[Fraction]) -> Fraction:
    """The median, exact (the mean of the two middle values when there is an even number)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _value(indicator: Indicator, assessment: Assessment):
    """An enterprise's value of an indicator, exact: the share of target-group FTE as a Fraction (it is
    rounded for display only once, after the median is taken), an entered number as its Decimal."""
    if indicator.id == "ap_target_group_share":
        return target_group_share_exact(assessment)
    return assessment.measures.get(indicator.id)


def _places(indicator: Indicator, values: list) -> int:
    """Decimals to show a statistic with: those of the values it comes from (a sum of numbers with two
    decimals has two); a median at least one; the share of target-group FTE one, as in a profile."""
    if indicator.kind == "computed":
        return 1
    numbers = [kg for v in values for kg in v.values()] if indicator.kind == "r_mapping" else values
    written = max((decimals(Decimal(n)) for n in numbers), default=0)
    return max(written, 1) if indicator.aggregate == "median" else written


def combine(indicator: Indicator, values: list):
    """Enterprises' values of one indicator in one year: a sum, a median, per-R sums or a yes count.
    Computed exactly and rounded half-up once, to the decimals of `_places`, for every output."""
    if indicator.kind == "yes_no":
        return sum(1 for v in values if v is True)
    places = _places(indicator, values)
    if indicator.kind == "r_mapping":
        total: dict[str, Fraction] = {}
        for masses in values:
            for r, kg in masses.items():
                total[r] = total.get(r, Fraction(0)) + Fraction(kg)
        return {r: half_up(kg, places) for r, kg in sorted(total.items(), key=lambda item: int(item[0][1:]))}
    numbers = [Fraction(v) for v in values]
    exact = sum(numbers, Fraction(0)) if indicator.aggregate == "sum" else _median(numbers)
    return half_up(exact, places)


def _plain(value) -> str:
    """A statistic in the JSON document: as shown, without trailing zeros (59.5, 60, 1400)."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def measures_over_years(cat: Catalogue, profiles: list[Profile], years: list[int], tr: Translator,
                        counted: bool = True) -> list[dict]:
    """Per indicator and year: the combined value, and how many enterprises reported it."""
    out = []
    for ind in cat.indicators:
        per_year: dict[str, dict] = {}
        for year in years:
            values = [v for p in profiles if p.year == year and ind.theme in p.assessment.themes
                      for v in [_value(ind, p.assessment)] if v is not None and v != {}]
            if not values:
                continue
            value = combine(ind, values)
            if ind.kind == "yes_no":
                shown = tr("assess_yes_count", yes=value, count=len(values))
            else:
                shown = measure_text(ind, value, tr)
                if ind.aggregate == "median" and len(values) > 1:
                    shown = tr("assess_median", value=shown)
            per_year[str(year)] = {"enterprises": len(values), "shown": f"{shown} (n={len(values)})" if counted else shown,
                                   "value": {r: _plain(kg) for r, kg in value.items()} if isinstance(value, dict) else _plain(value)}
        if per_year:
            out.append({"indicator": ind.id, "theme": ind.theme, "name": tr.label(ind.name), "unit": tr.label(ind.unit),
                        "aggregate": ind.aggregate, "kind": ind.kind, "source": ind.source, "values": per_year,
                        "shown": {y: v["shown"] for y, v in per_year.items()}})
    return out


# the region's summary --------------------------------------------------------------------------

def _pseudonyms(profiles: list[Profile], names: bool, tr: Translator) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in profiles:
        if p.assessment.key not in out:
            out[p.assessment.key] = (p.assessment.name or p.assessment.id or p.assessment.key) if names else tr(
                "assess_pseudonym", n=len(out) + 1)
    return out


def _movement(cat: Catalogue, profiles: list[Profile], before: int, after: int, who: dict, tr: Translator) -> dict:
    old = {p.assessment.key: p for p in profiles if p.year == before}
    new = {p.assessment.key: p for p in profiles if p.year == after}
    both = [k for k in new if k in old]
    themes, changes = [], []
    for theme in cat.themes:
        pairs = [(k, a, b) for k in both
                 if (a := old[k].level(theme.id)) is not None and (b := new[k].level(theme.id)) is not None]
        if not pairs:
            continue
        up = sum(1 for _, a, b in pairs if b > a)
        down = sum(1 for _, a, b in pairs if b < a)
        same = len(pairs) - up - down
        themes.append({"theme": theme.id, "name": tr.label(theme.name), "up": up, "same": same, "down": down,
                       "text": tr("assess_movement_theme", theme=tr.label(theme.name), up=up, same=same, down=down)})
        for k, a, b in pairs:
            if a != b:
                changes.append({"enterprise": who[k], "theme": theme.id, "from": a, "to": b,
                                "text": tr("assess_movement_change", enterprise=who[k], theme=tr.label(theme.name),
                                           before=a, after=b)})
    gone = len([k for k in old if k not in new])
    came = len([k for k in new if k not in old])
    return {"from": before, "to": after, "title": tr("assess_movement_title", before=before, after=after),
            "followed": len(both), "new": came, "not_again": gone,
            "text": tr("assess_movement_text", followed=len(both), new=came, gone=gone),
            "themes": themes, "changes": changes}


def summary(cat: Catalogue, profiles: list[Profile], tr: Translator, names: bool = False) -> dict:
    years = sorted({p.year for p in profiles})
    who = _pseudonyms(profiles, names, tr)
    per_year: list[dict] = []
    first_seen: dict[str, int] = {}
    for p in sorted(profiles, key=lambda p: p.year):
        first_seen.setdefault(p.assessment.key, p.year)
    for i, year in enumerate(years):
        count = sum(1 for p in profiles if p.year == year)
        new = sum(1 for p in profiles if p.year == year and first_seen[p.assessment.key] == year)
        key = "assess_year_baseline" if i == 0 else "assess_year_line"
        per_year.append({"year": year, "enterprises": count, "new": new, "text": tr(key, year=year, count=count, new=new)})
    themes = []
    for theme in cat.themes:
        counts: dict[str, dict[str, int]] = {}
        for year in years:
            levels = [p.level(theme.id) for p in profiles if p.year == year and p.level(theme.id) is not None]
            if levels:
                counts[str(year)] = {str(n): levels.count(n) for n in range(6)}
        if counts:
            themes.append({"theme": theme.id, "name": tr.label(theme.name), "counts": counts})
    sdg: dict[str, dict[str, int]] = {}
    for year in years:
        for p in (p for p in profiles if p.year == year):
            for target in sorted({t for theme in p.assessment.themes for t in cat.require_theme(theme).sdg_targets}):
                sdg.setdefault(target, {})[str(year)] = sdg.get(target, {}).get(str(year), 0) + 1
    unconfirmed = sum(1 for p in profiles if p.assessment.to_confirm)
    enterprises = []
    for key, name in who.items():
        enterprises.append({"enterprise": name, "years": {
            str(p.year): {t: p.level(t) for t in p.assessment.themes} for p in profiles if p.assessment.key == key}})
    return {
        "impactkit": __version__, "schema": SCHEMA, "language": tr.lang, "kind": "summary",
        "title": tr("assess_summary_title"),
        "subtitle": tr("assess_summary_subtitle", files=len(profiles), enterprises=len(who),
                       years=", ".join(map(str, years))),
        "pseudonymised": not names,
        "years": years,
        "per_year": per_year,
        "themes": themes,
        "movement": [_movement(cat, profiles, a, b, who, tr) for a, b in zip(years, years[1:])],
        "sdg": [{"target": t, "counts": c} for t, c in sorted(sdg.items(), key=lambda i: _target_order(i[0]))],
        "measures": measures_over_years(cat, profiles, years, tr),
        "enterprises": enterprises,
        "notes": [tr("assess_summary_pseudonyms") if not names else tr("assess_summary_names"), tr("assess_no_total")]
        + ([tr("assess_summary_unconfirmed", count=unconfirmed)] if unconfirmed else []),
        "sources": sources(cat, tr),
    }


def _target_order(target: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in target.split("."))


# one enterprise over the years ----------------------------------------------------------------

def history(cat: Catalogue, profiles: list[Profile], tr: Translator) -> dict:
    keys = list(dict.fromkeys(p.assessment.key for p in profiles))
    if len(keys) > 1:
        names = [next(p.assessment.name or p.assessment.id or k for p in profiles if p.assessment.key == k) for k in keys]
        raise InvalidInputError(Problem("assess_history_several", {"count": len(keys), "names": ", ".join(names)}))
    profiles = sorted(profiles, key=lambda p: p.year)
    years = [p.year for p in profiles]
    latest = profiles[-1]
    by_year = {str(p.year): p for p in profiles}
    themes = []
    for theme in cat.themes:
        levels = {str(p.year): level for p in profiles if (level := p.level(theme.id)) is not None}
        if not levels:
            continue
        values = list(levels.values())
        change = values[-1] - values[0]
        result = latest.results.get(theme.id)
        unconfirmed = {y: _level_unconfirmed(by_year[y].assessment, theme.id) for y in levels}
        themes.append({"theme": theme.id, "name": tr.label(theme.name), "levels": levels,
                       "shown": {y: _marked(str(v), unconfirmed[y], tr) for y, v in levels.items()},
                       "to_confirm": unconfirmed, "change": change,
                       "change_text": f"{change:+d}" if len(values) > 1 else "",
                       "next_level": result.level + 1 if result and result.level < 5 else None,
                       "gaps": [gap_text(g, tr) for g in result.gaps] if result else []})
    measures = measures_over_years(cat, profiles, years, tr, counted=False)
    for row in measures:  # one profile per year: flag the values carried over and not confirmed yet
        indicator = cat.require_indicator(row["indicator"])
        for year, value in row["values"].items():
            value["to_confirm"] = _measure_unconfirmed(by_year[year].assessment, indicator)
            value["shown"] = row["shown"][year] = _marked(value["shown"], value["to_confirm"], tr)
    name = latest.assessment.name or latest.assessment.id
    return {
        "impactkit": __version__, "schema": SCHEMA, "language": tr.lang, "kind": "history",
        "title": tr("assess_history_title", name=name, first=years[0], last=years[-1]),
        "enterprise": name, "years": years, "themes": themes,
        "measures": measures,
        "to_confirm": {str(p.year): list(p.assessment.to_confirm) for p in profiles if p.assessment.to_confirm},
        "notes": [tr("assess_history_unconfirmed", year=p.year, before=p.year - 1, count=len(p.assessment.to_confirm))
                  for p in profiles if p.assessment.to_confirm] + [tr("assess_no_total")],
        "sources": sources(cat, tr),
    }


def _marked(shown: str, unconfirmed: bool, tr: Translator) -> str:
    return tr("assess_history_to_confirm", shown=shown) if unconfirmed else shown


def _level_unconfirmed(assessment: Assessment, theme: str) -> bool:
    """A theme's level rests on an answer carried over from the year before and not confirmed yet."""
    return any(item.startswith((f"{theme}/", f"{ENTERPRISE}/")) for item in assessment.to_confirm)


def _measure_unconfirmed(assessment: Assessment, indicator: Indicator) -> bool:
    """A measured value carried over from the year before and not confirmed yet (the share of
    target-group FTE: when either FTE figure is)."""
    ids = ("ap_target_group_fte", "ap_total_fte") if indicator.id == "ap_target_group_share" else (indicator.id,)
    return any(f"measures/{i}" in assessment.to_confirm for i in ids)
