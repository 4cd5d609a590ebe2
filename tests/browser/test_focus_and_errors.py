"""What axe cannot see: the focus indicator, and where the focus goes after a failed form.

Each kind of control (a link in the navigation, in the header and in the footer, a button, a
radio, a text field, a textarea, a select) is reached with the Tab key on a real page in both
languages; Chromium's computed style then gives the indicator's width, style and colours, and
the test computes their contrast (WCAG relative luminance) against the control's own background
and against what surrounds it (WCAG 2.4.7, 2.4.11, 2.4.13): at least 2 px and 3:1.

After a request form is sent with mistakes, the title starts with "Erreur : " / "Fout: " and the
focus is on the error summary, moved there by static/js/error-summary.js under the site's real
Content-Security-Policy (no bypass here, unlike the axe audits).
"""

import re

import pytest

from registry.seed import registry_seed_load
from tests.browser.conftest import format_violations

MIN_CONTRAST = 3.0
MIN_WIDTH = 2.0
MAX_TABS = 120

PAGES = {
    "fr": {"wizard": "/fr/vos-droits/", "request": "/fr/vos-droits/demande/"},
    "nl": {"wizard": "/nl/uw-rechten/", "request": "/nl/uw-rechten/verzoek/"},
}
STATEMENT = {
    "fr": ("/fr/accessibilite/", "Déclaration d'accessibilité"),
    "nl": ("/nl/toegankelijkheid/", "Toegankelijkheidsverklaring"),
}

# What the browser says about the focused element and the indicator around it.
FOCUS_STYLE = """() => {
  const element = document.activeElement;
  element.scrollIntoView({block: "center", inline: "center", behavior: "instant"});
  const style = getComputedStyle(element);
  const opaque = (node) => {
    for (; node && node.nodeType === 1; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (!/rgba\\(.*,\\s*0\\)$/.test(colour) && colour !== "transparent") return colour;
    }
    return getComputedStyle(document.documentElement).backgroundColor;
  };
  return {
    tag: element.tagName.toLowerCase(),
    focusVisible: element.matches(":focus-visible"),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    outlineOffset: parseFloat(style.outlineOffset),
    boxShadow: style.boxShadow,
    background: opaque(element),
    // What is painted just outside the ring, on each side (the skip link, absolutely
    // positioned, sits over the header, not over its parent <body>).
    surroundings: (() => {
      const box = element.getBoundingClientRect();
      // The first pixel past the ring.
      const out = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) + 0.5;
      const middleX = box.left + box.width / 2, middleY = box.top + box.height / 2;
      const points = [
        [box.left - out, middleY], [box.right + out, middleY],
        [middleX, box.top - out], [middleX, box.bottom + out],
      ];
      return points
        .map(([x, y]) => document.elementFromPoint(x, y))
        .filter((node) => node && node !== element && !element.contains(node))
        .map(opaque);
    })(),
  };
}"""


def rgb(colour):
    """(r, g, b) of a computed CSS colour; an alpha channel must be opaque here."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)]
    assert len(numbers) == 3 or numbers[3] == 1, f"a translucent colour: {colour}"
    return numbers[:3]


def luminance(colour):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def gap_ring(box_shadow):
    """(colour, spread) of a solid ring drawn by box-shadow (no offset, no blur), or None."""
    match = re.fullmatch(r"(rgba?\([^)]*\)) 0px 0px 0px ([\d.]+)px", box_shadow.strip())
    return (match.group(1), float(match.group(2))) if match else None


def indicator_problems(style):
    """What keeps the focus indicator of the focused element from passing, as sentences.

    The ring (outline) must be at least 2 px wide and contrast 3:1 with what is painted just
    outside it, on every side. On the control's side, either the ring itself contrasts 3:1 with
    the control's background, or a gap of at least 2 px between them (box-shadow filling the
    outline's offset) does.
    """
    problems = []
    if not style["focusVisible"]:
        problems.append("the element does not match :focus-visible")
    if style["outlineStyle"] in ("none", "hidden") or style["outlineWidth"] < MIN_WIDTH:
        problems.append(f"outline {style['outlineStyle']} {style['outlineWidth']}px")
        return problems
    ring = style["outlineColor"]
    assert style["surroundings"], f"nothing found around the control: {style}"
    for surroundings in set(style["surroundings"]):
        outside = contrast(ring, surroundings)
        if outside < MIN_CONTRAST:
            problems.append(f"ring {ring} on {surroundings}: {outside:.2f}:1")
    inside = contrast(ring, style["background"])
    gap = gap_ring(style["boxShadow"])
    gap_fills_offset = gap and gap[1] >= MIN_WIDTH and style["outlineOffset"] <= gap[1]
    if gap_fills_offset:
        inside = max(inside, contrast(gap[0], style["background"]))
    if inside < MIN_CONTRAST:
        problems.append(f"ring on the control's {style['background']}: {inside:.2f}:1")
    return problems


def tab_to(page, selector):
    """Press Tab until the element `selector` has the focus, as a keyboard user would."""
    # Bootstrap scrolls smoothly unless motion is reduced: the focused element must be in view
    # when its surroundings are looked at.
    page.emulate_media(reduced_motion="reduce")
    target = page.locator(selector).first.element_handle()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("target => document.activeElement === target", target):
            return page.evaluate(FOCUS_STYLE)
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


@pytest.fixture
def seeded(transactional_db):
    registry_seed_load()


# Each kind of control, on a real page: (page, selector, what).
CONTROLS = {
    "home": [
        (".skip-link", "skip link"),
        (".language-switcher a", "language link in the header"),
        (".site-nav .nav-link", "navigation link"),
        ("main a", "link in the text"),
        (".site-footer a", "footer link"),
    ],
    "wizard": [
        ("main input[type=radio]", "radio"),
        ("main button[type=submit]", "button"),
    ],
    "request": [
        ("#id_name", "text field"),
        ("#id_right", "select"),
        ("#id_description", "textarea"),
        ("#request-form [type=submit]", "submit button"),
    ],
}


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("where", CONTROLS)
def test_each_kind_of_control_has_a_visible_focus_indicator(visit_factory, seeded, language, where):
    visit = visit_factory()
    visit.open(PAGES[language].get(where, f"/{language}/"))
    failures = {}
    for selector, what in CONTROLS[where]:
        style = tab_to(visit.page, selector)
        if problems := indicator_problems(style):
            failures[what] = {"problems": problems, "style": style}
    assert failures == {}


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_bootstraps_faint_shadow_would_fail_the_check(visit_factory, transactional_db, language):
    """The check itself can fail: with Bootstrap's own focus style back (the site's rule
    switched off in the page), a navigation link, a text field and a button do not pass."""
    visit = visit_factory()
    visit.open(PAGES[language]["request"])
    visit.page.evaluate(
        """() => {
          for (const sheet of document.styleSheets) {
            if (!sheet.href || !sheet.href.endsWith('/css/site.css')) continue;
            [...sheet.cssRules].forEach((rule, index) => {
              if (rule.selectorText && rule.selectorText.includes(':focus')) {
                sheet.deleteRule(index); sheet.insertRule('.removed-focus-rule {}', index);
              }
            });
          }
        }"""
    )
    for selector in (".site-nav .nav-link", "#id_name", "#request-form [type=submit]"):
        assert indicator_problems(tab_to(visit.page, selector)) != [], selector


# --- After a failed submission ---------------------------------------------------------------

ERROR_TITLE = {"fr": "Erreur : ", "nl": "Fout: "}


@pytest.fixture
def strict_page(browser, live_server):
    """A page under the site's own Content-Security-Policy (no bypass), same origin only."""
    context = browser.new_context(locale="fr-BE", viewport={"width": 1280, "height": 900})
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    page = context.new_page()
    errors = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and errors.append(message.text),
    )
    yield page, live_server.url, errors
    context.close()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_failed_request_says_so_in_the_title_and_focuses_the_summary(
    strict_page, transactional_db, language
):
    page, origin, console_errors = strict_page
    page.goto(origin + PAGES[language]["request"])
    assert not page.title().startswith(ERROR_TITLE[language])
    page.fill("#id_name", "Marie Dubois")
    page.fill("#id_email", "not-an-address")
    with page.expect_navigation() as navigation:
        page.click("#request-form [type=submit]")
    response = navigation.value
    assert response.status == 400
    assert "script-src 'self'" in response.headers["content-security-policy"]

    assert page.title().startswith(ERROR_TITLE[language])
    # The deferred script has run by the load event, which the navigation waited for.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    # Without JavaScript too, the summary is what comes right after the heading.
    assert page.evaluate("document.querySelector('main h1').nextElementSibling.id") == (
        "error-summary"
    )
    summary = page.evaluate(FOCUS_STYLE)
    summary["focusVisible"] = True  # focused by script: its style applies on :focus
    assert indicator_problems(summary) == [], summary
    # Its links take the focus to their fields.
    page.click("#error-summary a[href='#id_email']")
    assert page.evaluate("document.activeElement.id") == "id_email"
    assert console_errors == []  # nothing refused by the policy


# --- The statement and the footer -------------------------------------------------------------


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_footer_leads_to_the_statement_which_passes_axe(
    visit_factory, transactional_db, language, width
):
    path, name = STATEMENT[language]
    visit = visit_factory(width=width)
    visit.open(f"/{language}/")
    footer = visit.page.get_by_role("contentinfo")
    assert footer.count() == 1
    footer.get_by_role("link", name=name).click()
    assert visit.page.url == visit.origin + path
    assert visit.page.get_by_role("heading", level=1).inner_text() == name
    violations = visit.axe_violations()
    assert violations == [], format_violations(violations)
    assert visit.off_origin_requests() == []
    assert visit.page.context.cookies() == []
