"""The report's small chart: actions per owning organisation, stacked by status, as inline SVG. Every segment
shows its count, each status has its own pattern as well as its colour, and the <desc> gives every figure."""
from collections.abc import Mapping, Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from tracker.actions.models import ActionStatus

# Print colours, each at least 4.5:1 against white (so the white counts on them read, and each bar stands out
# on the page; tests/test_report_chart.py computes the ratios), told apart by pattern too.
COLOURS = {
    ActionStatus.DONE: "#1d6b37", ActionStatus.IN_PROGRESS: "#0b4f8a", ActionStatus.PLANNED: "#5a5f8c",
    ActionStatus.BLOCKED: "#a11d1d", ActionStatus.CANCELLED: "#6b6b6b",
}
# The pattern drawn over each colour (light marks in a 6-unit tile); done stays solid.
PATTERNS = {
    ActionStatus.DONE: "",
    ActionStatus.IN_PROGRESS: '<path d="M0 6L6 0" stroke="#fff" stroke-opacity=".45" stroke-width="1.2"/>',
    ActionStatus.PLANNED: '<circle cx="3" cy="3" r="1" fill="#fff" fill-opacity=".55"/>',
    ActionStatus.BLOCKED: '<path d="M0 0L6 6M0 6L6 0" stroke="#fff" stroke-opacity=".4" stroke-width="1"/>',
    ActionStatus.CANCELLED: '<path d="M0 3H6" stroke="#fff" stroke-opacity=".5" stroke-width="1.2"/>',
}
BAR, GAP, LABEL_WIDTH, WIDTH = 16, 6, 190, 640


def _defs() -> str:
    tiles = "".join(
        f'<pattern id="status-{s.value}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'{PATTERNS[s]}</pattern>' for s in COLOURS if PATTERNS[s])
    return f"<defs>{tiles}</defs>"


def _swatch(status: ActionStatus, x: float, y: float, width: float, height: float) -> str:
    """A rectangle in the status's colour with its pattern laid over it (a separate layer: no seams in print)."""
    box = f'x="{x:.1f}" y="{y}" width="{width:.1f}" height="{height}"'
    marks = f'<rect {box} fill="url(#status-{status.value})"/>' if PATTERNS[status] else ""
    return f'<rect {box} fill="{COLOURS[status]}"/>{marks}'


def _count(status: ActionStatus, x: float, y: float, count: int) -> str:
    """The segment's count on a solid patch of its colour, so the pattern never hides the figure."""
    width = 6 + 6 * len(str(count))
    return (f'<rect x="{x - width / 2:.1f}" y="{y + 2}" width="{width}" height="{BAR - 4}" rx="2" '
            f'fill="{COLOURS[status]}"/><text x="{x:.1f}" y="{y + BAR - 4.5}" font-size="9" font-weight="bold" '
            f'fill="#fff" text-anchor="middle">{count}</text>')


def chart_description(groups: Sequence[tuple[str, Mapping[ActionStatus, int]]]) -> str:
    """Every figure of the chart as text: one sentence per organisation."""
    in_all = _("in all")
    return " ".join(
        f"{name}: " + ", ".join(f"{status.label} {counts.get(status, 0)}" for status in COLOURS if counts.get(status))
        + f" ({in_all} {sum(counts.values())})." for name, counts in groups)


def status_by_organisation(groups: Sequence[tuple[str, Mapping[ActionStatus, int]]], title: str) -> Markup:
    """groups: [(organisation name, {status: count})]. Returns an <svg> sized to its rows."""
    most = max((sum(c.values()) for _n, c in groups), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - 40) / most
    height = len(groups) * (BAR + GAP) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" role="img" class="chart"><title>{escape(title)}</title>'
             f"<desc>{escape(chart_description(groups))}</desc>{_defs()}"]
    for i, (name, counts) in enumerate(groups):
        y = i * (BAR + GAP)
        label = name if len(name) <= 32 else name[:31] + "…"
        parts.append(f'<text x="0" y="{y + BAR - 4}" font-size="10">{escape(label)}</text>')
        x: float = LABEL_WIDTH
        for status in COLOURS:
            count = counts.get(status, 0)
            if count:
                width = count * scale
                parts.append(_swatch(status, x, y, width, BAR) + _count(status, x + width / 2, y, count)
                             + f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" fill="none" '
                             f'stroke="#fff" stroke-width="1"/>')
                x += width
        parts.append(f'<text x="{x + 4:.1f}" y="{y + BAR - 4}" font-size="10">{sum(counts.values())}</text>')
    legend_y = len(groups) * (BAR + GAP) + 16
    x = 0
    for status in COLOURS:
        parts.append(_swatch(status, x, legend_y - 10, 12, 12)
                     + f'<text x="{x + 16}" y="{legend_y}" font-size="10">{escape(status.label)}</text>')
        x += 120
    parts.append("</svg>")
    return Markup("".join(parts))
