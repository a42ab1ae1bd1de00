"""The public results page as one HTML document: no script, one small stylesheet, a column
chart drawn as SVG (with a title, a description and its table), the rest as tables whose bars
are decoration beside the numbers. Readable on a phone, with a keyboard and a screen reader.

Texts come from templates/<locale>/web.ftl (HTML-escaped by the renderer); numbers, dates and
months are written by Babel in the page's language."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from bot.i18n import Renderer
from handlers.appeals.departments import DepartmentCatalog
from handlers.appeals.topics import TopicCatalog
from handlers.contracts import Text
from handlers.reports.public_stats import (
    STATUS_GROUPS,
    DepartmentShare,
    Headline,
    MonthBar,
    PublicStats,
    TopicRow,
)

# Colours with a contrast of at least 4.5:1 on white (WCAG AA), each also named in a legend.
INK = "#1a1a1a"
BLUE = "#1f4e79"
STATUS_COLOURS = {"open": "#8a4b00", "answered": BLUE, "closed": "#4a4a4a"}
MARK = "LINK-7f3a"  # where a link goes into a rendered text

STYLE = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
color:#1a1a1a;background:#fff}
a{color:#0b4f8a}a:focus-visible,summary:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5em}
.skip:focus{left:.5em}
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
header{border-bottom:1px solid #767676;padding-bottom:.5rem}
.lang{float:right;margin-top:1rem}
h1{font-size:1.6rem;margin:1rem 0 .25rem}h2{font-size:1.3rem;margin:2rem 0 .5rem}
h3{font-size:1.1rem;margin:1.25rem 0 .5rem}
nav ul{padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.75rem;
padding:0;list-style:none}
.figures li{border:1px solid #767676;border-radius:6px;padding:.5rem .75rem}
.figures .v{display:block;font-size:1.5rem;font-weight:700}
.figures .n{display:block;font-size:.9rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
caption,.caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-bottom:1px solid #c4c4c4;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
.bar{display:flex;height:.8rem;min-width:8rem;background:#f0f0f0;margin-top:.35rem}
.bar span{display:block;height:100%}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;list-style:none;font-size:.9rem}
.legend i{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;vertical-align:-2px}
figure{margin:0}svg{width:100%;height:auto;max-width:42rem}
.note{font-size:.9rem}
.wide{overflow-x:auto}
footer{border-top:1px solid #767676;margin-top:2rem;padding:1rem;font-size:.9rem}
@media (max-width:30rem){body{font-size:15px}.figures .v{font-size:1.25rem}}
"""


@dataclass(frozen=True, slots=True)
class OpenDataLink:
    title: str
    passport: str
    data_csv: str
    data_json: str


@dataclass(frozen=True, slots=True)
class PageContext:
    """What the page needs besides the figures."""

    renderer: Renderer
    topics: TopicCatalog
    departments: DepartmentCatalog
    zone: tzinfo
    publisher: str
    grid_m: int
    open311_url: str
    opendata_list: str
    opendata: tuple[OpenDataLink, ...]


class _Page:
    def __init__(self, context: PageContext, locale: str) -> None:
        self.c = context
        self.locale = locale

    def t(self, key: str, **params: object) -> str:
        return self.c.renderer.render_one(self.locale, Text(key, params))

    def number(self, value: float, digits: int = 0) -> str:
        pattern = "#,##0" + ("." + "#" * digits if digits else "")
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def share(self, value: float) -> str:
        return str(format_percent(value, locale=self.locale))

    def month(self, day: date, form: str = "LLLL y") -> str:
        return str(format_date(day, form, locale=self.locale))

    def day(self, day: date) -> str:
        return str(format_date(day, "long", locale=self.locale))

    def duration(self, hours: float) -> str:
        if hours >= 48:
            return self.t("web-days", days=self.number(hours / 24, 1))
        return self.t("web-hours", hours=self.number(hours, 1))

    def too_few(self) -> str:
        return f'<span class="few">{self.t("web-too-few")}</span>'

    def count(self, value: int | None, k: int) -> str:
        """A count of people or appeals: below the threshold it is not shown."""
        if value is None or 0 < value < k:
            return self.t("web-fewer-than", n=k)
        return self.number(value)

    def topic(self, code: str | None) -> str:
        if code is None:
            return self.t("web-other-topics")
        return html.escape(self.c.topics.name(code, self.locale))

    def department(self, code: str | None) -> str:
        if code is None:
            return self.t("web-other-departments")
        return html.escape(self.c.departments.name(code, self.locale))


def _headline(p: _Page, figures: Headline, heading_id: str, heading: str) -> str:
    on_time = (
        f'{p.share(figures.on_time_share)}<span class="n">{p.t("web-of-due", due=figures.due)}'
        "</span>"
        if figures.on_time_share is not None
        else p.too_few()
    )
    median = p.duration(figures.median_hours) if figures.median_hours is not None else p.too_few()
    score = (
        f"{p.t('web-score', score=p.number(figures.satisfaction, 1))}"
        f'<span class="n">{p.t("web-ratings", n=figures.ratings)}</span>'
        if figures.satisfaction is not None
        else p.too_few()
    )
    items = (
        ("web-received", p.number(figures.received)),
        ("web-answered", p.number(figures.answered)),
        ("web-on-time", on_time),
        ("web-median", median),
        ("web-satisfaction", score),
    )
    cells = "".join(
        f'<li><span class="n">{p.t(key)}</span><span class="v">{value}</span></li>'
        for key, value in items
    )
    return (
        f'<section aria-labelledby="{heading_id}"><h2 id="{heading_id}">{heading}</h2>'
        f'<ul class="figures">{cells}</ul></section>'
    )


def _month_label(p: _Page, bar: MonthBar) -> str:
    label = p.month(bar.month, "LLL y")
    return f"{label}, {p.t('web-so-far')}" if bar.so_far else label


def _months_chart(p: _Page, bars: Sequence[MonthBar]) -> str:
    """Columns of appeals received by month, as SVG with its own title and description."""
    width, height, top, bottom, left = 680, 260, 24, 44, 8
    most = max((bar.received for bar in bars), default=0)
    step = (width - left) / max(len(bars), 1)
    scale = (height - top - bottom) / most if most else 0
    parts = []
    for i, bar in enumerate(bars):
        x = left + i * step + step * 0.15
        w = step * 0.7
        h = bar.received * scale
        y = height - bottom - h
        colour = "#5b7fa6" if bar.so_far else BLUE
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{colour}"/>'
            f'<text x="{x + w / 2:.1f}" y="{y - 5:.1f}" text-anchor="middle" font-size="12"'
            f' fill="{INK}">{p.number(bar.received)}</text>'
            f'<text x="{x + w / 2:.1f}" y="{height - bottom + 16:.1f}" text-anchor="middle"'
            f' font-size="11" fill="{INK}">{html.escape(p.month(bar.month, "LLL"))}</text>'
            f'<text x="{x + w / 2:.1f}" y="{height - bottom + 31:.1f}" text-anchor="middle"'
            f' font-size="10" fill="{INK}">{bar.month.year % 100:02d}</text>'
        )
    if most:
        peak = max(bars, key=lambda bar: bar.received)
        description = p.t(
            "web-months-desc",
            **{
                "from": p.month(bars[0].month),
                "to": p.month(bars[-1].month),
                "max": p.number(peak.received),
                "month": p.month(peak.month),
            },
        )
    else:
        description = p.t("web-months-empty")
    axis = (
        f'<line x1="{left}" x2="{width}" y1="{height - bottom}" y2="{height - bottom}"'
        f' stroke="{INK}"/>'
    )
    rows = "".join(
        f'<tr><th scope="row">{_month_label(p, bar)}</th>'
        f'<td class="num">{p.number(bar.received)}</td>'
        f'<td class="num">{p.number(bar.due)}</td>'
        f'<td class="num">'
        f"{p.share(bar.on_time_share) if bar.on_time_share is not None else p.too_few()}</td></tr>"
        for bar in bars
    )
    return (
        '<section aria-labelledby="months"><h2 id="months">'
        f"{p.t('web-months')}</h2><figure>"
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="months-t months-d"'
        f' focusable="false"><title id="months-t">{p.t("web-months")}</title>'
        f'<desc id="months-d">{description}</desc>{axis}{"".join(parts)}</svg>'
        f'<figcaption class="note">{description}</figcaption></figure>'
        f'<details><summary>{p.t("web-show-table")}</summary><div class="wide"><table>'
        f"<caption>{p.t('web-months')}</caption><thead><tr>"
        f'<th scope="col">{p.t("web-month")}</th>'
        f'<th scope="col" class="num">{p.t("web-received")}</th>'
        f'<th scope="col" class="num">{p.t("web-due")}</th>'
        f'<th scope="col" class="num">{p.t("web-on-time")}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div></details></section>"
    )


def _stacked(counts: tuple[int, int, int] | None, widest: int) -> str:
    """A bar split by status group, as wide as the row's share of the widest row (decoration:
    the numbers are in the row's cells)."""
    if not counts or not widest:
        return ""
    spans = "".join(
        f'<span style="width:{100 * n / widest:.2f}%;background:{STATUS_COLOURS[group]}"></span>'
        for group, n in zip(STATUS_GROUPS, counts, strict=True)
        if n
    )
    return f'<div class="bar" aria-hidden="true">{spans}</div>'


def _legend(p: _Page) -> str:
    items = "".join(
        f'<li><i style="background:{STATUS_COLOURS[group]}" aria-hidden="true"></i>'
        f"{p.t('web-status-' + group)}</li>"
        for group in STATUS_GROUPS
    )
    return f'<ul class="legend">{items}</ul>'


def _topics_table(p: _Page, rows: Sequence[TopicRow], caption: str, k: int) -> str:
    if not rows:
        return f'<p><span class="caption">{caption}</span>: {p.t("web-nothing")}</p>'
    widest = max(row.total for row in rows)
    body = []
    for row in rows:
        if row.counts is None:
            cells = "".join(f'<td class="num">{p.too_few()}</td>' for _ in STATUS_GROUPS)
        else:
            cells = "".join(f'<td class="num">{p.count(n, k)}</td>' for n in row.counts)
        body.append(
            f'<tr><th scope="row">{p.topic(row.topic)}{_stacked(row.counts, widest)}</th>'
            f'{cells}<td class="num">{p.count(row.total, k)}</td></tr>'
        )
    heads = "".join(
        f'<th scope="col" class="num">{p.t("web-status-" + group)}</th>' for group in STATUS_GROUPS
    )
    return (
        f'<div class="wide"><table><caption>{caption}</caption><thead><tr>'
        f'<th scope="col">{p.t("web-topic")}</th>{heads}'
        f'<th scope="col" class="num">{p.t("web-total")}</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _departments(p: _Page, rows: Sequence[DepartmentShare], k: int) -> str:
    if not rows:
        return f"<p>{p.t('web-nothing')}</p>"
    body = []
    for row in rows:
        if row.on_time_share is None:
            share = p.too_few()
            bar = ""
        else:
            share = p.share(row.on_time_share)
            bar = (
                f'<div class="bar" aria-hidden="true"><span style="width:'
                f'{100 * row.on_time_share:.1f}%;background:{BLUE}"></span></div>'
            )
        median = p.duration(row.median_hours) if row.median_hours is not None else p.too_few()
        body.append(
            f'<tr><th scope="row">{p.department(row.department)}{bar}</th>'
            f'<td class="num">{share}</td><td class="num">{p.count(row.due, k)}</td>'
            f'<td class="num">{p.count(row.answered, k)}</td><td class="num">{median}</td></tr>'
        )
    return (
        f'<div class="wide"><table><caption>{p.t("web-departments")}</caption><thead><tr>'
        f'<th scope="col">{p.t("web-department")}</th>'
        f'<th scope="col" class="num">{p.t("web-on-time")}</th>'
        f'<th scope="col" class="num">{p.t("web-due")}</th>'
        f'<th scope="col" class="num">{p.t("web-answered-count")}</th>'
        f'<th scope="col" class="num">{p.t("web-median")}</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _problems(p: _Page, stats: PublicStats) -> str:
    if not stats.problems:
        body = f"<p>{p.t('web-nothing')}</p>"
    else:
        rows = []
        for problem in stats.problems:
            change = problem.count - problem.previous
            if change > 0:
                trend = f'<span aria-hidden="true">▲ </span>{p.t("web-trend-up", n=change)}'
            elif change < 0:
                trend = f'<span aria-hidden="true">▼ </span>{p.t("web-trend-down", n=-change)}'
            else:
                trend = p.t("web-trend-same")
            rows.append(
                f'<tr><th scope="row">{p.topic(problem.topic)}</th>'
                f'<td class="num">{p.number(problem.count)}</td><td>{trend}</td></tr>'
            )
        body = (
            f"<table><caption>{p.t('web-problems')}</caption><thead><tr>"
            f'<th scope="col">{p.t("web-topic")}</th>'
            f'<th scope="col" class="num">{p.t("web-problem-count")}</th>'
            f'<th scope="col">{p.t("web-trend")}</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    note = p.t("web-problems-note", since=p.day(stats.problems_since))
    return (
        f'<section aria-labelledby="problems"><h2 id="problems">{p.t("web-problems")}</h2>'
        f'<p class="note">{note}</p>{body}</section>'
    )


def _polls(p: _Page, stats: PublicStats) -> str:
    if not stats.polls:
        return ""
    blocks = []
    for number, poll in enumerate(stats.polls, start=1):
        meta = p.t("web-poll-meta", date=p.day(poll.closed), n=poll.respondents)
        questions = []
        for question in poll.questions:
            total = sum(votes for _, votes in question.options) or 1
            rows = "".join(
                f'<tr><th scope="row">{html.escape(label)}<div class="bar" aria-hidden="true">'
                f'<span style="width:{100 * votes / total:.1f}%;background:{BLUE}"></span></div>'
                f'</th><td class="num">'
                f"{p.t('web-votes', votes=votes, share=p.share(votes / total))}</td></tr>"
                for label, votes in question.options
            )
            questions.append(
                f"<table><caption>{html.escape(question.text)}</caption><tbody>{rows}</tbody>"
                "</table>"
            )
        blocks.append(
            f'<h3 id="poll-{number}">{html.escape(poll.title)}</h3><p class="note">{meta}</p>'
            + "".join(questions)
        )
    return (
        f'<section aria-labelledby="polls"><h2 id="polls">{p.t("web-polls")}</h2>'
        f"{''.join(blocks)}</section>"
    )


def _groups(p: _Page, stats: PublicStats) -> str:
    if not stats.groups:
        return ""

    def text(values: dict[str, str]) -> str:
        return html.escape(values.get(p.locale) or next(iter(values.values()), ""))

    rows = "".join(
        f'<tr><th scope="row">{text(group.name)}</th><td>{text(group.description)} '
        f"({p.t('web-group-open' if group.open else 'web-group-closed')})</td>"
        f'<td class="num">{p.count(group.members, stats.threshold)}</td></tr>'
        for group in stats.groups
    )
    return (
        f'<section aria-labelledby="groups"><h2 id="groups">{p.t("web-groups")}</h2>'
        f'<div class="wide"><table><caption>{p.t("web-groups-caption")}</caption><thead><tr>'
        f'<th scope="col">{p.t("web-group")}</th><th scope="col">{p.t("web-group-about")}</th>'
        f'<th scope="col" class="num">{p.t("web-members")}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div></section>"
    )


def _opendata(p: _Page) -> str:
    items = "".join(
        f"<li>{html.escape(link.title)}: "
        f'<a href="{html.escape(link.passport)}">{p.t("web-passport")}</a>, '
        f'<a href="{html.escape(link.data_csv)}">{p.t("web-data")}</a>, '
        f'<a href="{html.escape(link.data_json)}">{p.t("web-data-json")}</a></li>'
        for link in p.c.opendata
    )
    url = html.escape(p.c.open311_url)
    # The address goes into the text as a link: marked, then put in after rendering.
    api = p.t("web-open311", url=MARK).replace(MARK, f'<a href="{url}">{url}</a>')
    return (
        f'<section aria-labelledby="opendata"><h2 id="opendata">{p.t("web-opendata")}</h2>'
        f"<p>{p.t('web-opendata-note')}</p><ul>"
        f'<li><a href="{html.escape(p.c.opendata_list)}">{p.t("web-opendata-list")}</a></li>'
        f"{items}</ul><p>{api}</p></section>"
    )


def render(context: PageContext, stats: PublicStats, locale: str, other: tuple[str, str]) -> str:
    """The page in ``locale``; ``other``: (locale, address) of the page in the other language."""
    p = _Page(context, locale)
    k = stats.threshold
    months = stats.months
    year_to = months[-2].month if len(months) > 1 else stats.month
    when = format_datetime(
        stats.computed_at.astimezone(context.zone), "d MMMM y, HH:mm", locale=locale
    )
    this_month = p.month(stats.month)
    year = f"{p.month(stats.year_start)} — {p.month(year_to)}"
    sections = (
        ("this-month", p.t("web-this-month", month=this_month)),
        ("year", p.t("web-year", **{"from": p.month(stats.year_start), "to": p.month(year_to)})),
        ("months", p.t("web-months")),
        ("topics", p.t("web-topics")),
        ("departments", p.t("web-departments")),
        ("problems", p.t("web-problems")),
        *((("polls", p.t("web-polls")),) if stats.polls else ()),
        *((("groups", p.t("web-groups")),) if stats.groups else ()),
        ("opendata", p.t("web-opendata")),
    )
    nav = "".join(f'<li><a href="#{anchor}">{title}</a></li>' for anchor, title in sections)
    title = p.t("web-title")
    other_locale, other_url = other
    body = "".join(
        (
            _headline(p, stats.this_month, "this-month", sections[0][1]),
            _headline(p, stats.year, "year", sections[1][1]),
            _months_chart(p, months),
            '<section aria-labelledby="topics"><h2 id="topics">',
            p.t("web-topics"),
            "</h2>",
            _legend(p),
            _topics_table(p, stats.topics_month, p.t("web-topics-caption", period=this_month), k),
            _topics_table(p, stats.topics_year, p.t("web-topics-caption", period=year), k),
            f'<p class="note">{p.t("web-merged-note", n=k)}</p></section>',
            '<section aria-labelledby="departments"><h2 id="departments">',
            p.t("web-departments"),
            "</h2>",
            _departments(p, stats.departments, k),
            "</section>",
            _problems(p, stats),
            _polls(p, stats),
            _groups(p, stats),
            _opendata(p),
            '<section aria-labelledby="privacy"><h2 id="privacy">',
            p.t("web-privacy-title"),
            f"</h2><p>{p.t('web-privacy', metres=context.grid_m)}</p></section>",
        )
    )
    return (
        f'<!DOCTYPE html><html lang="{locale}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{title} — {html.escape(context.publisher)}</title>"
        f'<link rel="alternate" hreflang="{other_locale}" href="{html.escape(other_url)}">'
        f"<style>{STYLE}</style></head><body>"
        f'<a class="skip" href="#content">{p.t("web-skip")}</a>'
        f'<header><a class="lang" href="{html.escape(other_url)}" lang="{other_locale}"'
        f' hreflang="{other_locale}">{p.t("web-other-language")}</a>'
        f"<h1>{title}</h1><p>{html.escape(context.publisher)}</p>"
        f'<p>{p.t("web-lead")}</p><p class="note">{p.t("web-updated", when=when)}</p>'
        f'<nav aria-label="{p.t("web-nav")}"><ul>{nav}</ul></nav></header>'
        f'<main id="content" tabindex="-1">{body}</main>'
        f"<footer><p>{p.t('web-footer')}</p></footer></body></html>"
    )


def unavailable(renderer: Renderer, locale: str) -> str:
    message = renderer.render_one(locale, Text("web-unavailable"))
    return (
        f'<!DOCTYPE html><html lang="{locale}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{message}</title></head><body><main><p>{message}</p></main></body></html>"
    )
