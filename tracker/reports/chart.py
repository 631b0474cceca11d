"""The report's small chart: actions per owning organisation, stacked by status, as inline SVG."""
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from tracker.actions.models import ActionStatus

# Print colours, each with a pattern-free legend that also gives the numbers in text.
COLOURS = {
    ActionStatus.DONE: "#1d6b37", ActionStatus.IN_PROGRESS: "#0b4f8a", ActionStatus.PLANNED: "#8a94a3",
    ActionStatus.BLOCKED: "#a11d1d", ActionStatus.CANCELLED: "#d5d9de",
}
BAR, GAP, LABEL_WIDTH, WIDTH = 16, 6, 190, 640


def status_by_organisation(groups: Sequence[tuple[str, Mapping[ActionStatus, int]]], title: str) -> Markup:
    """groups: [(organisation name, {status: count})]. Returns an <svg> sized to its rows."""
    most = max((sum(c.values()) for _n, c in groups), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - 40) / most
    height = len(groups) * (BAR + GAP) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" role="img" class="chart"><title>{escape(title)}</title>']
    for i, (name, counts) in enumerate(groups):
        y = i * (BAR + GAP)
        label = name if len(name) <= 32 else name[:31] + "…"
        parts.append(f'<text x="0" y="{y + BAR - 4}" font-size="10">{escape(label)}</text>')
        x: float = LABEL_WIDTH
        for status in COLOURS:
            width = counts.get(status, 0) * scale
            if width:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" '
                             f'fill="{COLOURS[status]}"/>')
                x += width
        parts.append(f'<text x="{x + 4:.1f}" y="{y + BAR - 4}" font-size="10">{sum(counts.values())}</text>')
    legend_y = len(groups) * (BAR + GAP) + 16
    x = 0
    for status, colour in COLOURS.items():
        parts.append(f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="{legend_y}" font-size="10">{escape(status.label)}</text>')
        x += 120
    parts.append("</svg>")
    return Markup("".join(parts))
