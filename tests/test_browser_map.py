"""The claims map as analysts use it, in a real browser: linked views, the keyboard, small screens.

Same harness as tests/test_browser.py (Debian's Chromium through Playwright, the app on
localhost with a store of its own); its fixtures are imported, and this module starts its own app.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from geo import load_gazetteer
from tests.test_browser import browser, open_map, page, server, watched_page

__all__ = ["browser", "page", "server"]  # fixtures, used by name

MAP = "iframe[title='streamlit_folium.st_folium']"
PANEL_COUNT = re.compile(r"^(\d+) claims? (as of \S+|\S+ to \S+)(: .*)?$")


def panel_count(page: Page) -> int:
    """The number of claims the side panel says it lists."""
    said = page.get_by_text(PANEL_COUNT)
    expect(said).to_be_visible(timeout=30_000)
    found = PANEL_COUNT.search(said.inner_text())
    assert found, said.inner_text()
    return int(found.group(1))


def table_rows(page: Page) -> dict[str, str]:
    """Every row of the claims table, as claim id to place name, read from the grid's accessible
    table: it holds the rows in view only, so the grid is scrolled through to its end."""
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    grid.locator("table tr[aria-rowindex='2']").wait_for(state="attached", timeout=30_000)
    box = grid.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    rows: dict[str, str] = {}
    unchanged = 0
    while unchanged < 4:
        before = len(rows)
        for row in grid.locator("table tr[aria-rowindex]").all():
            cells = row.locator("td").all_inner_texts()
            if len(cells) >= 4:
                rows[cells[0]] = cells[3]
        unchanged = unchanged + 1 if len(rows) == before else 0
        page.mouse.wheel(0, 200)
        page.wait_for_timeout(200)
    return rows


def test_a_table_row_selects_its_place_and_brings_it_into_view(page: Page, server: str) -> None:
    """A row chosen in the claims table selects its place: the side panel, the ring on the map
    and the URL follow, and the map moves onto the place."""
    frame = open_map(page, server + "/?date=2021-09-06")
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    row = grid.locator("table tr[aria-rowindex]").filter(has_text="Panjshir Valley").first
    row.wait_for(state="attached", timeout=30_000)
    index = int(row.get_attribute("aria-rowindex") or 0) - 2  # 1 is the header
    box = grid.bounding_box()
    assert box is not None and index >= 0
    # Rows are 35 px under a 35 px header; the row marker column (its checkbox) comes first.
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 35 * index + 17)
    page.wait_for_url("**place=panjshir-valley**", timeout=30_000)
    expect(page.get_by_role("combobox", name="Place")).to_have_value("Panjshir Valley (valley)", timeout=30_000)
    assert panel_count(page) > 0
    frame = map_after(page)
    frame.locator("path.selected-place.place-panjshir-valley").wait_for(state="attached", timeout=30_000)
    frame.wait_for_function("window.map.getZoom() == 10", timeout=30_000)  # a valley fills the view
    point = load_gazetteer()["panjshir-valley"].point
    assert point is not None
    centre = frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    assert centre == pytest.approx((point.lat, point.lon), abs=1e-3)
    assert page.outside == []  # type: ignore[attr-defined]


def test_a_bar_of_the_chart_shows_its_day(page: Page, server: str) -> None:
    """A click on a bar of claims per day moves the as-of date to that day: slider, URL and map."""
    open_map(page, server)
    # The chart is SVG: each bar is named for its day, side and count.
    bars = page.locator("[data-testid='stVegaLiteChart'] svg path[aria-roledescription='bar']")
    bars.first.wait_for(timeout=30_000)
    labels = bars.evaluate_all("bars => bars.map(b => b.getAttribute('aria-label'))")
    days = [re.match(r"date: (\S+); claims: (\d+)", label).groups() for label in labels]  # type: ignore[union-attr]
    day, count = next((day, count) for day, count in days if int(count) > 0 and day < "2021-09-06")
    bar = bars.and_(page.locator(f"[aria-label^='date: {day}; claims: {count};']")).first
    bar.scroll_into_view_if_needed()
    bar.click()
    page.wait_for_url(f"**date={day}**", timeout=30_000)
    expect(page.get_by_text(re.compile(rf"^\d+ claims? as of {day} from"))).to_be_visible(timeout=30_000)
    expect(page.get_by_role("slider", name="As of")).to_have_attribute("aria-valuetext", day)
    assert page.outside == []  # type: ignore[attr-defined]


# Every claim marker and outline on the map as [Leaflet id, is a marker, [[place, its claims line]
# for each place its popup names]]: "Shutul (district)", "3 claims as of 2021-09-07: Taliban 2 · NRF 1".
DRAWN = """() => {
    const out = [];
    window.map.eachLayer(l => {
        const popup = l.getPopup && l.getPopup();
        if (!popup) { return; }
        const html = new DOMParser().parseFromString(popup.getContent(), "text/html");
        const places = [...html.querySelectorAll(".place-summary p")].map(
            p => [p.querySelector("b").textContent, p.querySelector(".counts").textContent]);
        if (places.length) { out.push([l._leaflet_id, Boolean(l.getLatLng), places]); }
    });
    return out;
}"""
COUNT = re.compile(r"^(\d+) claims? ")


def count_of(line: str) -> int:
    """The number of claims a popup's or the panel's claims line says."""
    said = COUNT.match(line)
    assert said is not None, line
    return int(said.group(1))


def test_a_busy_place_counts_the_same_in_popup_panel_and_table(page: Page, server: str) -> None:
    """The busiest drawn place of the last day: its markers' and outlines' popups, the side
    panel and the table give one number of claims, and the popup and the panel the same words."""
    frame = open_map(page, server)
    names = Counter(table_rows(page).values())
    in_popups: dict[str, set[str]] = {}
    for _, _, places in frame.evaluate(DRAWN):
        for label, line in places:
            in_popups.setdefault(label, set()).add(line)
    assert all(len(lines) == 1 for lines in in_popups.values()), in_popups  # every popup of a place agrees
    lines = {label: next(iter(said)) for label, said in in_popups.items()}
    busiest = max(lines, key=lambda label: count_of(lines[label]))
    count = count_of(lines[busiest])
    assert count >= 5, lines
    assert names[busiest.rsplit(" (", 1)[0]] == count, (busiest, count, names)
    page.get_by_role("combobox", name="Place").click()
    page.keyboard.type(busiest)  # the list is long: narrowed as typed
    page.get_by_role("option", name=busiest, exact=True).click()
    # While a rerun replaces the box, the old and the new one can both be in the page (for longer
    # on a busy machine): it is enough that one of them shows the place.
    page.wait_for_function(
        "name => [...document.querySelectorAll('input[aria-label=\"Place\"]')].some(i => i.value === name)",
        arg=busiest,
        timeout=30_000,
    )
    assert panel_count(page) == count
    expect(page.get_by_text(lines[busiest], exact=True)).to_be_visible()
    assert page.outside == []  # type: ignore[attr-defined]


def test_tab_reaches_a_district_and_enter_selects_it(page: Page, server: str) -> None:
    """Every marker and outline is a tab stop named for its place (the basemap's names are not);
    Enter on one does what a click does."""
    frame = open_map(page, server)
    stops = frame.evaluate(
        """() => ({
            claims: document.querySelectorAll('.claim-icon, path.claim-outline, path.status-shading').length,
            keyable: document.querySelectorAll('.claim-icon[tabindex="0"][aria-label],'
                + 'path.claim-outline[tabindex="0"][role="button"][aria-label],'
                + 'path.status-shading[tabindex="0"][role="button"][aria-label]').length,
            names: document.querySelectorAll('.map-label-icon[tabindex]').length,
        })"""
    )
    assert stops["claims"] > 20 and stops["keyable"] == stops["claims"] and stops["names"] == 0, stops
    frame.locator(".leaflet-container").focus()
    for _ in range(400):
        page.keyboard.press("Tab")
        if frame.evaluate("document.activeElement.matches('path.claim-outline.place-shutul-district')"):
            break
    else:
        pytest.fail("Tab never reached Shutul's outline")
    assert "Shutul (district)" in frame.evaluate("document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Enter")
    frame.locator(".leaflet-popup-content", has_text="Shutul (district)").wait_for(timeout=30_000)
    page.wait_for_url("**place=shutul-district**", timeout=30_000)
    expect(page.get_by_role("combobox", name="Place")).to_have_value("Shutul (district)", timeout=30_000)
    assert panel_count(page) > 0

    # The selection's run redraws the claims: the popup and the focus stay on Shutul.
    frame = map_after(page)
    frame.locator("path.selected-place.place-shutul-district").wait_for(state="attached", timeout=30_000)
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_have_count(1)  # the old layer's is removed at once, not faded out over it
    expect(popup).to_contain_text("Shutul (district)")
    assert frame.evaluate("document.activeElement.matches('path.claim-outline.place-shutul-district')")

    marker = frame.locator(".claim-icon:has(.claim-marker[data-place='darband'])").first
    marker.focus()
    page.keyboard.press(" ")  # Space, as on any button
    page.wait_for_url("**place=darband**", timeout=30_000)
    frame.locator("path.selected-place.place-darband").wait_for(state="attached", timeout=30_000)
    expect(popup).to_have_count(1)
    expect(popup).to_contain_text("Darband")
    assert frame.evaluate("document.activeElement.matches('.claim-icon:has([data-place=darband])')")
    assert page.outside == []  # type: ignore[attr-defined]


def test_a_popup_stays_open_through_its_clicks_run_and_closed_once_closed(page: Page, server: str) -> None:
    """A click opens the place's popup and selects the place; the run that follows redraws the
    claims in the map, and the popup is still there. Closed by the reader, it stays closed
    through the next day's run."""
    frame = open_map(page, server)
    frame.locator(".claim-icon:has(.claim-marker[data-place='bazarak'])").first.click()
    page.wait_for_url("**place=bazarak**", timeout=30_000)
    frame.locator("path.selected-place.place-bazarak").wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(500)
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_have_count(1)
    expect(popup).to_contain_text("Bazarak")
    frame.locator(".leaflet-popup-close-button").click()
    expect(popup).to_have_count(0)
    frame.evaluate("window.claimOverlays.status.__old = true")
    page.frame_locator("iframe[title='streamlit_folium.st_folium']").get_by_role("button", name="◀ Day").click()
    frame.wait_for_function("window.claimOverlays && !window.claimOverlays.status.__old", timeout=30_000)
    page.wait_for_timeout(500)
    expect(popup).to_have_count(0)
    assert page.outside == []  # type: ignore[attr-defined]


# Each claim marker that a click at its centre would reach in the map (no popup or control on
# top), with its place and centre in the map's frame.
REACHABLE = """() => [...document.querySelectorAll(".claim-icon")].map((icon) => {
    const box = icon.getBoundingClientRect(), x = box.left + box.width / 2, y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    return {place: icon.querySelector(".claim-marker").dataset.place, x, y, top: Boolean(hit && icon.contains(hit))};
}).filter((marker) => marker.top)"""

# Where the open popup is in the map, read at once: a run's swap removes it and opens it again.
POPUP_AT = "(r => [r.left, r.top, r.width, r.height])(document.querySelector('.leaflet-popup').getBoundingClientRect())"


def reachable(page: Page, frame: Frame) -> list[tuple[str, float, float]]:
    """The claim markers a reader can click in the window, as (place, x, y) in the page: in the
    map, under no popup, and in the part of the map the window shows."""
    iframe = page.locator(MAP).bounding_box()
    assert iframe is not None
    shown = []
    for marker in frame.evaluate(REACHABLE):
        x, y = iframe["x"] + marker["x"], iframe["y"] + marker["y"]
        if page.evaluate(f"document.elementFromPoint({x}, {y}) === document.querySelector({MAP!r})"):
            shown.append((marker["place"], x, y))
    return shown


@pytest.fixture(params=[(1400, 1000), (1280, 720)], ids=lambda size: f"{size[0]}x{size[1]}")
def laptop(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A laptop's window, in which the map reaches below the fold."""
    yield from watched_page(browser, *request.param)


def test_one_click_opens_a_marker_from_the_first_click_of_a_fresh_page(laptop: Page, server: str) -> None:
    """The first click on a fresh page, on the marker nearest the fold, opens its popup and
    selects its place, and so does each of three more in a row, popups left open: one press
    each, no retry. Nothing moves under the pointer: not the page (the map taking the focus
    scrolled it into view at the press, and the release landed elsewhere), not the map (it
    panned to show each popup whole, carrying away the next marker aimed at), not the popup
    when the click's run opens it again."""
    page, gazetteer = laptop, load_gazetteer()
    # A window short enough that the map crosses the fold (with the legend beside the map, not
    # above it, the whole map fits a 1000 px window).
    page.set_viewport_size({"width": page.viewport_size["width"] if page.viewport_size else 1400, "height": 800})
    frame = open_map(page, server)
    page.get_by_role("heading", name="Claims per day").wait_for(timeout=60_000)  # the page is whole
    page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    window = page.viewport_size
    iframe = page.locator(MAP).bounding_box()
    assert window and iframe and iframe["y"] + iframe["height"] > window["height"], (iframe, window)

    def view() -> tuple[float, float, float, float]:
        at = frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]")
        return (scrolled(page), *at)

    def click(place: str, x: float, y: float) -> None:
        before = view()
        page.mouse.click(x, y, delay=80)  # one press, as long as a reader's
        label = gazetteer[place].label()
        heading = frame.locator(".leaflet-popup-content .place-summary")
        expect(heading).to_have_count(1, timeout=10_000)
        expect(heading).to_contain_text(label)
        opened = frame.evaluate(POPUP_AT)  # before the click's run, most likely
        page.wait_for_url(f"**place={place}**", timeout=30_000)
        expect(page.get_by_role("combobox", name="Place").first).to_have_value(label, timeout=30_000)
        frame.locator(f"path.selected-place.place-{place}").wait_for(state="attached", timeout=30_000)
        expect(heading).to_contain_text(label)  # still open after the selection's run
        assert view() == pytest.approx(before, abs=1e-9), (place, before, view())
        assert frame.evaluate(POPUP_AT) == pytest.approx(opened, abs=1), place  # where it was

    first = max(reachable(page, frame), key=lambda marker: marker[2])  # the nearest the fold
    click(*first)
    # The reader scrolls the page, the pointer beside the map, until the map is whole in view.
    page.mouse.move(4, window["height"] / 2)
    page.mouse.wheel(0, iframe["y"] + iframe["height"] - window["height"] + 8)
    page.wait_for_function(
        f"(r => r.top >= 0 && r.bottom <= innerHeight)(document.querySelector({MAP!r}).getBoundingClientRect())",
        timeout=10_000,
    )
    scrolled_to = page.locator(MAP).bounding_box()
    assert scrolled_to is not None
    clicked = [(first[0], first[1], first[2] + scrolled_to["y"] - iframe["y"])]  # where it is now
    for _ in range(3):  # the markers nearest the last one that the open popup leaves in sight
        last = clicked[-1]
        others = [m for m in reachable(page, frame) if m[0] not in {c[0] for c in clicked}]
        assert others, clicked
        marker = min(others, key=lambda m: (m[1] - last[1]) ** 2 + (m[2] - last[2]) ** 2)
        click(*marker)
        clicked.append(marker)
    assert page.outside == []  # type: ignore[attr-defined]


def map_after(page: Page) -> Frame:
    return next(f for f in page.frames if "st_folium" in f.url and not f.is_detached())


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A 390 x 844 window, a phone's, with a mouse: the wheel and the popups' fit."""
    yield from watched_page(browser, 390, 844)


def scrolled(page: Page) -> float:
    """How far the page is scrolled, whichever element Streamlit scrolls it in."""
    return page.evaluate(
        "window.scrollY + Array.from(document.querySelectorAll('*')).reduce((n, e) => n + e.scrollTop, 0)"
    )


def test_on_a_phone_a_busy_popup_stays_on_screen_and_the_wheel_scrolls_the_page(phone: Page, server: str) -> None:
    frame = open_map(phone, server)
    iframe = phone.locator(MAP)
    box = iframe.bounding_box()
    assert box is not None and box["width"] <= 390
    # Map first (issue 28, point 9): it begins in the first screen, the legend folded after it
    # (above it, the legend pushed the map to 922 px), and the pages a tap away in the sidebar.
    top = box["y"] + scrolled(phone)
    assert top < 844, top
    legend = phone.locator("[data-testid='stExpander']", has_text="Legend")
    legend_box = legend.bounding_box()
    assert legend_box is not None and legend_box["y"] + scrolled(phone) > top
    assert not legend.locator("details").evaluate("d => d.open")
    assert not phone.get_by_text("Taliban-claimed: its own claims").is_visible()
    phone.locator("[data-testid='stExpandSidebarButton']").click()
    sources = phone.locator("[data-testid='stSidebarNav'] a", has_text="Sources")
    sources.wait_for(state="visible", timeout=10_000)
    phone.locator(
        "[data-testid='stSidebarCollapseButton'] button, [data-testid='stSidebarCollapseButton']"
    ).first.click()
    box = iframe.bounding_box()
    assert box is not None
    # The marker with the most claims, marked to be clicked as a reader would.
    drawn = [
        (sum(count_of(line) for _, line in places), layer) for layer, marker, places in frame.evaluate(DRAWN) if marker
    ]
    count, layer = max(drawn)
    assert count >= 5, drawn
    frame.evaluate(
        f"() => {{ const marker = window.map._layers[{layer}];"
        " window.map.panTo(marker.getLatLng(), {animate: false});"  # the map is narrow: it may lie outside
        " marker.getElement().setAttribute('data-busiest', 'yes'); }"
    )
    centre = frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    frame.locator("[data-busiest]").click(force=True)
    popup = frame.locator(".leaflet-popup")
    popup.wait_for(timeout=30_000)
    phone.wait_for_url("**place=**", timeout=30_000)  # the click's run, which opens it again on its new layer
    popup.wait_for(timeout=30_000)
    # Placed in the map, which stays where it is (no autoPan).
    assert frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]") == pytest.approx(centre, abs=1e-9)
    iframe.scroll_into_view_if_needed()
    shown = popup.bounding_box()
    assert shown is not None
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= 390, shown
    assert shown["y"] >= 0 and shown["y"] + shown["height"] <= 844, shown
    frame.evaluate("window.map.closePopup()")

    zoom = frame.evaluate("window.map.getZoom()")
    # The reader leaves the map: nothing in it keeps the focus the marker's click gave it (the
    # rerun that click caused may hand it back late), and the pointer moves off it.
    frame.evaluate("() => document.activeElement && document.activeElement.blur()")
    phone.mouse.move(10, 10)  # off the map first: it takes the wheel only after a click in it
    phone.wait_for_timeout(200)
    top = scrolled(phone)
    box = iframe.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844, box  # all of it in view
    phone.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    phone.mouse.wheel(0, 300)
    phone.wait_for_timeout(800)
    assert scrolled(phone) > top + 100
    assert frame.evaluate("window.map.getZoom()") == zoom
    frame.locator(".leaflet-container").focus()  # tabbed into: now the wheel zooms the map
    box = iframe.bounding_box()
    assert box is not None
    phone.mouse.move(box["x"] + box["width"] / 2, max(box["y"], 0) + min(box["height"], 844 - box["y"]) / 2)
    phone.mouse.wheel(0, -300)
    frame.wait_for_function(f"window.map.getZoom() > {zoom}", timeout=10_000)
    assert phone.outside == []  # type: ignore[attr-defined]


def test_on_a_touch_screen_one_finger_scrolls_the_page(browser: Browser, server: str) -> None:
    """One finger drags the page, not the map (two pan and zoom it, Leaflet's pinch)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        frame = open_map(page, server)
        assert frame.evaluate("window.map.dragging.enabled()") is False
        assert frame.evaluate("window.map.touchZoom.enabled()") is True
        touch = frame.evaluate("getComputedStyle(window.map.getContainer()).touchAction")
        assert "pan-y" in touch, touch
    finally:
        context.close()
