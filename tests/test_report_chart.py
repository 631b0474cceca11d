"""The report's status chart: counts on every segment, patterns besides colours, contrast, figures as text."""
import re

import pytest

from tracker.actions.models import ActionStatus
from tracker.reports import chart


def luminance(colour):
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour):
    return 1.05 / (luminance(colour) + 0.05)


def test_the_old_cancelled_grey_was_too_faint():
    assert round(contrast_with_white("#d5d9de"), 2) == 1.42


@pytest.mark.parametrize("status", list(ActionStatus), ids=[s.value for s in ActionStatus])
def test_every_status_colour_reaches_contrast_against_white(status):
    assert contrast_with_white(chart.COLOURS[status]) >= 4.5  # 3:1 for graphics, 4.5:1 for the white counts on it


def test_statuses_differ_by_pattern_not_colour_alone():
    patterns = [chart.PATTERNS[s] for s in ActionStatus]
    assert len(set(patterns)) == len(patterns)
    assert set(chart.COLOURS) == set(ActionStatus)


def test_every_segment_shows_its_count_and_the_description_gives_the_figures(app):
    groups = [("Polisen", {ActionStatus.DONE: 3, ActionStatus.BLOCKED: 1}),
              ("Skolan", {ActionStatus.CANCELLED: 2, ActionStatus.PLANNED: 5, ActionStatus.IN_PROGRESS: 4})]
    with app.test_request_context():
        svg = str(chart.status_by_organisation(groups, "Åtgärder per organisation"))
    counts = re.findall(r'text-anchor="middle">(\d+)</text>', svg)
    assert sorted(map(int, counts)) == [1, 2, 3, 4, 5]
    assert "<title>Åtgärder per organisation</title>" in svg
    desc = re.search(r"<desc>(.*)</desc>", svg).group(1)
    assert "Polisen: Klar 3, Blockerad 1 (totalt 4)." in desc
    assert "Skolan: Pågår 4, Planerad 5, Avbruten 2 (totalt 11)." in desc
    for status in (ActionStatus.IN_PROGRESS, ActionStatus.PLANNED, ActionStatus.BLOCKED, ActionStatus.CANCELLED):
        assert f'fill="url(#status-{status.value})"' in svg
