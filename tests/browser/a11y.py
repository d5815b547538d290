"""The two machine checks every page gets in a real browser: reflow and axe-core.

- Reflow (WCAG 1.4.10): at 390 px wide the page never scrolls sideways (a wide table may scroll
  inside its own box).
- axe-core (bundled by axe-playwright-python): no violation of impact "serious" or "critical".
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def blocking_violations(page) -> list[str]:
    """One line per serious or critical axe-core violation, naming the rule and the first elements."""
    results = _axe.run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return lines


def assert_page_ok(page, label: str = "") -> None:
    """The page fits its viewport and has no serious or critical axe-core violation."""
    where = label or page.url
    overflow = horizontal_overflow(page)
    assert overflow == 0, f"{where}: scrolls sideways by {overflow}px at {page.viewport_size}"
    violations = blocking_violations(page)
    assert not violations, f"{where} at {page.viewport_size}:\n" + "\n".join(violations)
