"""Timeliness: is each dataset as current as its own update frequency promises?

The cycle table is ckanext-dquality's (the quality extension thai_gdc 3.0 portals install), so
a dataset gets the same band here as on the portal's own quality page:

    วัน 1 · สัปดาห์ 7 · เดือน 30 · ไตรมาส 90 · ครึ่งปี 180 · ปี 365   (days, × the interval)

overdue % = max(0, elapsed − cycle) ÷ cycle × 100, and the band is 0 (on time), 1 (≤ 25 %),
2 (≤ 50 %), 3 (≤ 100 %) or 4 (> 100 %). dquality gives every other unit −1; we say why instead
(``status``): ``not_applicable`` (never updated after collection), ``real_time`` (updated more
often than a date can show: real time, hourly, by the minute), ``working_days`` (INFERENCE: a
calendar-day cycle would call a Monday check of Friday's data 200 % late, so we do not band it),
``unknown`` (unit unknown, ``อื่นๆ`` or missing, or no date to measure from), and
``future_date`` (the last update is after the check date: not current, and a ``date_in_future``
warning, since "on time" would reward a typo such as 9999-12-31 for ever).

Which date is the last update (docs/timeliness.md): the most recent *data* date — a Template 3
``resource_last_updated_date``, a CKAN resource ``last_modified``, the dataset's
``last_updated_date``. Only when none exists do we fall back to a resource's ``created`` and
then to CKAN ``metadata_modified`` (which moves on any metadata edit, so it flatters), and the
result says which source was used. A dataset's date is its best (most recent) resource's, as in
dquality.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Literal

from .dates import parse_date

#: days per cycle unit (ckanext-dquality's table)
CYCLE_DAYS: dict[str, int] = {"วัน": 1, "สัปดาห์": 7, "เดือน": 30, "ไตรมาส": 90, "ครึ่งปี": 180, "ปี": 365}
#: units that are not banded, and why
UNIT_STATUS: dict[str, str] = {
    "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล": "not_applicable",
    "ตามเวลาจริง": "real_time",
    "ชั่วโมง": "real_time",
    "นาที": "real_time",
    "วันทำการ": "working_days",
    "ไม่ทราบ": "unknown",
    "อื่นๆ": "unknown",
}
#: upper bounds of bands 1–3 in overdue percent; above the last is band 4
BAND_LIMITS: tuple[int, ...] = (25, 50, 100)

Status = Literal["measured", "not_applicable", "real_time", "working_days", "unknown", "no_date", "future_date"]

#: a last update this many days after the check date is a date in the future (a day allows for a
#: date written in Thai time on a check dated in UTC, and for a portal's clock running ahead)
FUTURE_TOLERANCE_DAYS = 1

STATUS_TEXT: dict[str, tuple[str, str]] = {
    "measured": ("วัดได้", "measured"),
    "not_applicable": ("ไม่ต้องปรับปรุงหลังจัดเก็บ จึงไม่วัดความทันสมัย",
                       "not updated after collection, so timeliness does not apply"),
    "real_time": ("ปรับปรุงถี่กว่ารายวัน (ตามเวลาจริง/รายชั่วโมง/รายนาที) วัดจากวันที่ไม่ได้",
                  "updated more often than daily (real time, hourly, by the minute): a date cannot measure it"),
    "working_days": ("ปรับปรุงทุกวันทำการ ไม่นับเป็นรอบวันปฏิทิน", "updated on working days; not banded by calendar days"),
    "unknown": ("ไม่ทราบความถี่ในการปรับปรุง", "update frequency unknown"),
    "no_date": ("ไม่พบวันที่ปรับปรุงข้อมูลล่าสุด", "no last-update date to measure from"),
}


@dataclass(frozen=True, slots=True)
class Timeliness:
    """How current one dataset is, as of ``as_of``; ``band`` is None when not measured."""

    status: Status
    cycle_days: int | None
    last_update: str | None          # ISO (Gregorian) date
    last_update_source: str | None   # e.g. "resource_last_updated_date", "metadata_modified"
    elapsed_days: int | None
    overdue_pct: float | None
    band: int | None
    as_of: str

    @property
    def days_late(self) -> int:
        if self.cycle_days is None or self.elapsed_days is None:
            return 0
        return max(0, self.elapsed_days - self.cycle_days)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cycle_days": self.cycle_days,
            "last_update": self.last_update,
            "elapsed_days": self.elapsed_days,
            "overdue_pct": self.overdue_pct,
            "band": self.band,
            "status": self.status,
            "last_update_source": self.last_update_source,
            "as_of": self.as_of,
        }


#: the Common Era years an as-of date may have (a check of catalog metadata, not of history)
AS_OF_YEARS: tuple[int, int] = (1900, 2200)


def parse_as_of(text: str | dt.date | None) -> dt.date:
    """``--as-of``: a date in the Buddhist Era or the Common Era (``2569-11-30`` = ``2026-11-30``)."""
    if text is None:
        return dt.date.today()
    if isinstance(text, dt.date):
        return text
    parsed = parse_date(text.strip(), origin="ckan")
    if parsed is None:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD, Buddhist Era or Common Era)")
    day = dt.date.fromisoformat(parsed.iso)
    if not AS_OF_YEARS[0] <= day.year <= AS_OF_YEARS[1]:
        # year 1 or 544 is a slip (a BE year cut short); measuring from it bands everything 4 or 0
        raise ValueError(f"date out of range: {text!r} (Common Era {AS_OF_YEARS[0]}–{AS_OF_YEARS[1]})")
    return day


def band_for(overdue_pct: float) -> int:
    if overdue_pct <= 0:
        return 0
    for band, limit in enumerate(BAND_LIMITS, start=1):
        if overdue_pct <= limit:
            return band
    return len(BAND_LIMITS) + 1


#: the longest interval banded (a 1000-year cycle is already never late); beyond it the
#: frequency is a typo or junk, and "never overdue" would be a silent pass, so it is ``unknown``
MAX_INTERVAL = 1000


def cycle_days(unit: Any, interval: Any) -> tuple[Status, int | None]:
    """The cycle in days for a unit × interval; the interval's first integer (dquality), 1 if none."""
    if not isinstance(unit, str) or not unit.strip():
        return "unknown", None
    unit = unit.strip()
    if unit in CYCLE_DAYS:
        n = _interval(interval)
        if n is None:
            return "unknown", None
        return "measured", CYCLE_DAYS[unit] * n
    return UNIT_STATUS.get(unit, "unknown"), None  # type: ignore[return-value]


def _interval(value: Any) -> int | None:
    """1 when missing, zero or negative (as dquality); None when too large to be a real interval."""
    if isinstance(value, bool):
        return 1
    if isinstance(value, (int, float)):
        if value != value or value < 1:  # NaN, zero, negative
            return 1
        return int(value) if value <= MAX_INTERVAL else None
    text = str(value or "").strip()
    if text.startswith(("-", "\u2212")):
        return 1
    m = re.search(r"\d+", text)
    if not m:
        return 1
    digits = m.group().lstrip("0") or "0"
    if len(digits) > 6:  # also keeps int() clear of its 4300-digit limit
        return None
    n = int(digits)
    if n > MAX_INTERVAL:
        return None
    return n if n >= 1 else 1


def _to_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    # CKAN timestamps: 2026-03-01T10:22:33.123456 — the date part is enough. The date itself
    # goes through parse_date, which reads Thai digits and a Buddhist Era year (2569-03-01):
    # fromisoformat would take 2569 as a Gregorian year and call the dataset current for 543 years.
    m = _CKAN_STAMP.match(text)
    return _text_date(m.group(1) if m else text)


_CKAN_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")


@lru_cache(maxsize=65_536)
def _text_date(text: str) -> dt.date | None:
    """The date a text says; cached because a catalogue repeats the same dates on thousands of resources."""
    parsed = parse_date(text, origin="ckan")
    if parsed is None:
        return None
    try:
        return dt.date.fromisoformat(parsed.iso)
    except ValueError:
        return None


def last_update(dataset_values: dict[str, Any], resources: Iterable[tuple[dict[str, Any], dict[str, Any] | None]],
                ckan: dict[str, Any] | None) -> tuple[dt.date | None, str | None]:
    """The most recent data date and where it came from (see the module docstring for the order)."""
    best: tuple[dt.date, str] | None = None
    fallback: tuple[dt.date, str] | None = None

    def take(current: tuple[dt.date, str] | None, value: Any, source: str) -> tuple[dt.date, str] | None:
        d = _to_date(value)
        if d is not None and (current is None or d > current[0]):
            return (d, source)
        return current

    best = take(best, dataset_values.get("last_updated_date"), "last_updated_date")
    for values, raw in resources:
        best = take(best, values.get("resource_last_updated_date"), "resource_last_updated_date")
        if raw:
            best = take(best, raw.get("last_modified"), "last_modified")
            fallback = take(fallback, raw.get("created"), "created")
    if best is None and fallback is None and ckan:
        fallback = take(fallback, ckan.get("metadata_modified"), "metadata_modified")
    chosen = best or fallback
    return (chosen[0], chosen[1]) if chosen else (None, None)


def measure(dataset_values: dict[str, Any], resources: Iterable[tuple[dict[str, Any], dict[str, Any] | None]],
            ckan: dict[str, Any] | None, as_of: dt.date) -> Timeliness:
    """Timeliness of one dataset (normalised values, its resources' values and raw CKAN dicts)."""
    status, cycle = cycle_days(dataset_values.get("update_frequency_unit"), dataset_values.get("update_frequency_interval"))
    when, source = last_update(dataset_values, resources, ckan)
    iso = when.isoformat() if when else None
    elapsed = max(0, (as_of - when).days) if when else None
    if status != "measured" or cycle is None:
        return Timeliness(status, None, iso, source, elapsed, None, None, as_of.isoformat())
    if when is None or elapsed is None:
        return Timeliness("no_date", cycle, None, None, None, None, None, as_of.isoformat())
    if (when - as_of).days > FUTURE_TOLERANCE_DAYS:
        # 9999-12-31, or next year's date: no evidence that the data is current, and
        # "on time" would reward the typo for ever — not measured, and said (``date_in_future``)
        return Timeliness("future_date", cycle, iso, source, None, None, None, as_of.isoformat())
    overdue = max(0, elapsed - cycle) / cycle * 100
    pct = round(overdue, 2)
    return Timeliness("measured", cycle, iso, source, elapsed, pct, band_for(overdue), as_of.isoformat())


def apply_timeliness(report: Any, as_of: dt.date, *, findings: bool = True, only_missing: bool = False,
                     ignore: frozenset[str] = frozenset(), early: "Early | None" = None) -> None:
    """Measure every dataset of ``report`` (sets ``DatasetResult.timeliness``) and add ``overdue``.

    Called by ``validate``/``score`` when ``--as-of`` (or ``--timeliness``) is given and always by
    ``audit``: a report's JSON only depends on the date when the user asked for a date. ``early``
    holds datasets already measured (an audit measures each page while the next is on its way);
    each is used only if nothing it was measured from has changed since, else measured again.
    """
    if early is not None and (early.as_of != as_of or early.ignore != ignore or not findings):
        early = None  # measured for another date or other findings: not this call's answer
    for d in report.datasets:
        if only_missing and d.timeliness is not None:
            continue
        ready = early.take(d) if early is not None else None
        if ready is None:
            t = measure(d.values, ((r.values, r.ckan) for r in d.resources), d.ckan, as_of)
            found = _findings(d, t, ignore) if findings else ()
        else:
            t, found = ready
        d.timeliness = t
        d.findings.extend(found)


def _findings(d: Any, t: Timeliness, ignore: frozenset[str]) -> list[Any]:
    """``date_in_future`` / ``overdue`` for dataset ``d`` measured ``t`` (in that order; none when on time)."""
    out: list[Any] = []
    if not (t.status == "future_date" or t.band):
        return out
    from .messages import make_finding

    if t.status == "future_date" and "date_in_future" not in ignore:
        out.append(make_finding(
            "date_in_future", field="last_updated_date", field_th="วันที่ปรับปรุงข้อมูลล่าสุด", value=t.last_update,
            dataset=d.id, source=d.source, location=_where(d), as_of=t.as_of, source_field=t.last_update_source,
            last_be=to_be(t.last_update), as_of_be=to_be(t.as_of)))
    if t.band and "overdue" not in ignore:
        out.append(make_finding(
            "overdue", field="last_updated_date", field_th="วันที่ปรับปรุงข้อมูลล่าสุด", value=t.last_update,
            dataset=d.id, source=d.source, location=_where(d), days=t.days_late, cycle=t.cycle_days,
            pct=f"{t.overdue_pct:g}", band=t.band, as_of=t.as_of,
            last_be=to_be(t.last_update), as_of_be=to_be(t.as_of)))
    return out


class Early:
    """Datasets measured before :func:`apply_timeliness` runs, with the findings it would add.

    Why: an audit's datasets are settled page by page while CKAN prepares the next page, and the
    audit waits for that page anyway; measuring then leaves less to do once the last page has
    come (10,000 datasets: ~0.1 s of the time a user waits after CKAN's last answer). Each entry
    keeps the dataset itself (so an identity is never mistaken) and its
    :meth:`~catalog_tools.model.DatasetResult.content_basis`, and is used only while that is unchanged.
    """

    def __init__(self, as_of: dt.date, ignore: frozenset[str] = frozenset()) -> None:
        self.as_of = as_of
        self.ignore = ignore
        self._by: dict[int, tuple[Any, tuple[Any, ...], Timeliness, list[Any]]] = {}

    def add(self, datasets: Iterable[Any]) -> None:
        for d in datasets:
            t = measure(d.values, ((r.values, r.ckan) for r in d.resources), d.ckan, self.as_of)
            self._by[id(d)] = (d, d.content_basis(), t, _findings(d, t, self.ignore))

    def take(self, d: Any) -> tuple[Timeliness, list[Any]] | None:
        """The measure and findings of ``d`` if it was measured and has not changed since (each once)."""
        hit = self._by.pop(id(d), None)
        if hit is None or hit[0] is not d or hit[1] != d.content_basis():
            return None
        return hit[2], hit[3]

    def __len__(self) -> int:
        return len(self._by)


def to_be(iso: str | None) -> str:
    """``2026-03-01`` → ``2569-03-01`` (Thai messages show Buddhist Era dates, as stewards write them)."""
    if not iso:
        return ""
    return f"{int(iso[:4]) + 543}{iso[4:]}"


def _where(d: Any) -> str | None:
    src = d.source
    if src.ckan_id:
        return f"{src.ckan_id}:$.metadata_modified" if d.ckan else src.ckan_id
    if src.sheet is not None and src.row is not None:
        return f"{src.sheet}!{src.row}:{src.row}"
    return src.path
