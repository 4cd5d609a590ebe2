"""Charts drawn as SVG on the server: no JavaScript, nothing fetched from another origin.

Each chart is an <svg role="img"> named by its <title> and <desc>, and the pages show a table
with the same numbers after it (WCAG 1.1.1: the information is not only in a picture). Colours
have a contrast of at least 3:1 with the white ground (WCAG 1.4.11), segments are separated by a
white line, and each series also has its own pattern, repeated in the legend, so no series is
told apart by colour alone (WCAG 1.4.1).

The markup is built with ElementTree, which escapes every label, so a chart is well-formed XML
whatever the text. No style attribute: the site's Content-Security-Policy forbids inline styles.
"""

import math
from xml.etree import ElementTree

from django.utils.safestring import mark_safe

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
INK = "#1a1a1a"
GROUND = "#ffffff"
GRID = "#c8c8c8"
HORIZONTAL_BAR = "#417690"

# (colour, pattern): every colour has at least 3:1 contrast with white (tests/requests/
# test_dashboard.py checks it), and the patterns differ even for a reader who sees no colour.
SERIES_STYLES = (
    ("#1f5f7a", "solid"),
    ("#b5400e", "diagonal"),
    ("#2b7a3d", "dots"),
    ("#6f3b96", "horizontal"),
    ("#7a6200", "crosshatch"),
    ("#b0245a", "vertical"),
    ("#4a5560", "backslash"),
)
PATTERN_SIZE = 8
PATTERN_PATHS = {
    "diagonal": "M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6",
    "horizontal": "M0,4 H8",
    "crosshatch": "M0,0 L8,8 M8,0 L0,8",
    "vertical": "M4,0 V8",
    "backslash": "M0,0 L8,8 M-2,6 L2,10 M6,-2 L10,2",
}

# Horizontal bars (routing statistics), in viewBox units: a label line with its bar underneath.
BARS_WIDTH = 1000
BARS_SPACE = 860  # the rest of the width holds the value after the longest bar
BARS_ROW_HEIGHT = 50
BARS_BAR_HEIGHT = 18

# Stacked columns (dashboard): one column per category (month), a legend line per series.
COLUMNS_WIDTH = 1000
COLUMNS_LEFT = 56  # room for the axis' numbers
COLUMNS_TOP = 28  # room for the total above the highest column
COLUMNS_PLOT_HEIGHT = 260
COLUMNS_AXIS_LABELS = 46  # two lines under each column: month, year
LEGEND_LINE = 26


def number(value):
    """A coordinate as SVG reads it: a dot for decimals whatever the language, no "1.0"."""
    return f"{round(value, 1):g}"


def contrast_ratio(first, second):
    """WCAG 2.1 contrast ratio of two "#rrggbb" colours."""

    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _svg(key, title, description, width, height):
    svg = ElementTree.Element(
        "svg",
        {
            "role": "img",
            "viewBox": f"0 0 {number(width)} {number(height)}",
            "aria-labelledby": f"chart-{key}-title chart-{key}-desc",
            "xmlns": SVG_NAMESPACE,
            "font-family": "sans-serif",
        },
    )
    _child(svg, "title", {"id": f"chart-{key}-title"}, title)
    _child(svg, "desc", {"id": f"chart-{key}-desc"}, description)
    return svg


def _child(parent, tag, attributes, text=None):
    element = ElementTree.SubElement(parent, tag, {k: str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def _text(parent, x, y, text, **attributes):
    attributes = {"x": number(x), "y": number(y), "font-size": "15", **attributes}
    return _child(parent, "text", attributes, text)


def _markup(svg):
    # ElementTree escapes <, & and quotes in labels; the result is safe to put in a page.
    return mark_safe(ElementTree.tostring(svg, encoding="unicode"))  # noqa: S308


def horizontal_bars_svg(*, key, title, description, rows):
    """One bar per (label, total) row, its label above it and its value after it."""
    highest = max((total for _label, total in rows), default=0)
    svg = _svg(key, title, description, BARS_WIDTH, len(rows) * BARS_ROW_HEIGHT + 8)
    for index, (label, total) in enumerate(rows):
        top = index * BARS_ROW_HEIGHT
        width = round(total / highest * BARS_SPACE, 1) if highest else 0
        if total and width < 1:
            width = 1  # a count too small for the scale still shows
        group = _child(svg, "g", {})
        _text(group, 0, top + 16, label, fill="currentColor")
        _child(
            group,
            "rect",
            {
                "x": "0",
                "y": number(top + 22),
                "width": number(width),
                "height": BARS_BAR_HEIGHT,
                "fill": HORIZONTAL_BAR,
            },
        )
        _text(group, width + 8, top + 36, total, **{"font-weight": "bold", "fill": "currentColor"})
    return _markup(svg)


def _patterns(svg, key, count):
    """<defs> with one pattern per series: its colour, and white strokes of its own shape."""
    defs = _child(svg, "defs", {})
    fills = []
    for index in range(count):
        colour, shape = SERIES_STYLES[index % len(SERIES_STYLES)]
        pattern_id = f"chart-{key}-pattern-{index}"
        size = PATTERN_SIZE
        pattern = _child(
            defs,
            "pattern",
            {"id": pattern_id, "width": size, "height": size, "patternUnits": "userSpaceOnUse"},
        )
        _child(pattern, "rect", {"width": size, "height": size, "fill": colour})
        if shape == "dots":
            _child(pattern, "circle", {"cx": "4", "cy": "4", "r": "1.6", "fill": GROUND})
        elif shape in PATTERN_PATHS:
            _child(
                pattern,
                "path",
                {"d": PATTERN_PATHS[shape], "stroke": GROUND, "stroke-width": "1.5"},
            )
        fills.append(f"url(#{pattern_id})")
    return fills


def _axis_step(highest):
    """A round step (1, 2, 5, 10, 20...) giving at most five grid lines up to `highest`."""
    step = 1
    while highest / step > 5:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if highest / step <= 5:
                break
    return step


def stacked_columns_svg(*, key, title, description, categories, series):
    """One column per category, stacked by series, its total above it, a legend underneath.

    `categories` are (first line, second line) labels, e.g. ("mars", "2026"); `series` are
    (name, [value per category]) in the order the columns stack them, bottom up.
    """
    totals = [sum(values[i] for _name, values in series) for i in range(len(categories))]
    step = _axis_step(max(totals, default=0) or 1)
    top_value = max(step * math.ceil(max(totals, default=0) / step), step)
    scale = COLUMNS_PLOT_HEIGHT / top_value
    base = COLUMNS_TOP + COLUMNS_PLOT_HEIGHT
    legend_top = base + COLUMNS_AXIS_LABELS + 10
    height = legend_top + len(series) * LEGEND_LINE
    svg = _svg(key, title, description, COLUMNS_WIDTH, height)
    fills = _patterns(svg, key, len(series))
    _child(svg, "rect", {"width": COLUMNS_WIDTH, "height": number(height), "fill": GROUND})

    for value in range(0, top_value + 1, step):
        y = base - value * scale
        _child(
            svg,
            "line",
            {"x1": COLUMNS_LEFT, "x2": COLUMNS_WIDTH, "y1": number(y), "y2": number(y)}
            | {"stroke": GRID, "stroke-width": "1"},
        )
        _text(svg, COLUMNS_LEFT - 8, y + 5, value, fill=INK, **{"text-anchor": "end"})

    slot = (COLUMNS_WIDTH - COLUMNS_LEFT) / max(len(categories), 1)
    for index, (lines, total) in enumerate(zip(categories, totals, strict=True)):
        middle = COLUMNS_LEFT + slot * (index + 0.5)
        column = _child(svg, "g", {})
        y = base
        for (name, values), fill in zip(series, fills, strict=True):
            if not values[index]:
                continue
            height_of_part = values[index] * scale
            y -= height_of_part
            part = _child(
                column,
                "rect",
                {
                    "x": number(middle - slot * 0.3),
                    "y": number(y),
                    "width": number(slot * 0.6),
                    "height": number(height_of_part),
                    "fill": fill,
                    "stroke": GROUND,
                    "stroke-width": "1",
                },
            )
            # A tooltip for a pointer; the table after the chart gives the same figure.
            _child(part, "title", {}, f"{name}, {' '.join(lines)}: {values[index]}")
        anchor = {"text-anchor": "middle", "fill": INK}
        if total:
            _text(column, middle, y - 6, total, **anchor, **{"font-weight": "bold"})
        for line_number, line in enumerate(lines):
            _text(column, middle, base + 18 + 18 * line_number, line, **anchor)

    legend = _child(svg, "g", {})
    for index, ((name, _values), fill) in enumerate(zip(series, fills, strict=True)):
        y = legend_top + index * LEGEND_LINE
        _child(
            legend,
            "rect",
            {"x": COLUMNS_LEFT, "y": number(y), "width": "18", "height": "18", "fill": fill},
        )
        _text(legend, COLUMNS_LEFT + 28, y + 14, name, fill=INK)
    return _markup(svg)


def figure_tiles_svg(*, key, title, description, tiles):
    """A row of (value, label) tiles: the dashboard's key figures at a glance."""
    width = COLUMNS_WIDTH / max(len(tiles), 1)
    svg = _svg(key, title, description, COLUMNS_WIDTH, 96)
    _child(svg, "rect", {"width": COLUMNS_WIDTH, "height": "96", "fill": GROUND})
    for index, (value, label) in enumerate(tiles):
        left = index * width
        tile = _child(svg, "g", {})
        _child(
            tile,
            "rect",
            {
                "x": number(left + 4),
                "y": "4",
                "width": number(width - 8),
                "height": "88",
                "fill": GROUND,
                "stroke": HORIZONTAL_BAR,
                "stroke-width": "2",
            },
        )
        middle = {"text-anchor": "middle", "fill": INK}
        _text(
            tile,
            left + width / 2,
            46,
            value,
            **middle,
            **{"font-size": "28", "font-weight": "bold"},
        )
        _text(tile, left + width / 2, 76, label, **middle)
    return _markup(svg)
