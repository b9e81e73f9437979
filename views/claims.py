"""Claims map page: claims by faction, date and source; click a place to read the words.

Wiring and layout only: data comes from `geo` (cached here), filtering is `geo.claims.tables`, the map
is `geo.web.mapview`, the URL state `geo.web.urlstate`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import time
from urllib.parse import parse_qsl

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import GeoError
from geo.claims.counts import place_counts, place_lines
from geo.claims.export import FORMATS, SUFFIXES, export_bytes
from geo.claims.sides import LAYERS, SIDE_BY_ID
from geo.claims.tables import NO_CITES, in_time_order, per_day
from geo.places.gazetteer import Gazetteer
from geo.web.charts import timeline_chart
from geo.web.html import CARD_CSS, claim_card, escape_markdown, escape_text
from geo.web.mapstate import MapView, focus, move_request, read_report
from geo.web.mapview import (
    build_claims_map,
    claims_base_map,
    claims_bounds,
    layer_control,
    legend_html,
    place_from_tooltip,
)
from geo.web.standalone import caption_lines, standalone_html
from geo.web.urlstate import ViewState
from geo.web.viewlayers import Span, default_view, shown_layers, view_claims
from views.data import bundled, claims_at, layers_at, resolver, span_at, store, view_status
from views.filters import Choice, quick_filters
from views.share import share_button


def download(table: pd.DataFrame, rows: pd.Index, fmt: str) -> bytes:
    return export_bytes(table.loc[rows], fmt)


def status_file(status: pd.DataFrame) -> bytes:
    return status.to_csv().encode("utf-8")


def map_file(
    shown: pd.DataFrame,
    status: pd.DataFrame,
    *,
    layers: list[str],
    tiles: bool,
    label: str,
    view: MapView,
    place: str | None,
    caption: list[str],
) -> bytes:
    """The map as shown, as one HTML file that works offline (`geo.web.standalone`). Given values,
    not the session: it runs on the download's click, outside the page's run."""
    fmap = build_claims_map(
        shown,
        status,
        gaz,
        layers=layers,
        tiles=tiles,
        status_label=label,
        view=view,
        inline=True,
        selected=place,
    )
    return standalone_html(fmap, caption).encode("utf-8")


try:
    revision = store().revision()
    table, index, texts = claims_at(revision)
except GeoError as err:
    st.error(f"The bundled data could not be loaded: {escape_markdown(str(err))}")
    st.stop()

gaz = bundled().gazetteer
TABLE_ROWS = 1000  # beyond this a browser table helps no one; the downloads hold every claim
CARDS_PER_PAGE = 25  # claims beside the map at a time
SHOWN_IDS = 60  # ids of the claims behind a status, in the panel
MAP_HEIGHT = 640
PANEL_HEIGHT = MAP_HEIGHT - 170  # the panel scrolls within the map's height, below the search and Place boxes
offer = span_at(revision)
first, last = dt.date.fromisoformat(offer["first"]), dt.date.fromisoformat(offer["last"])
outlets, types = offer["outlets"], offer["types"]
articles, cites = [document for document, _ in offer["articles"]], offer["cites"]
#: Beyond this many articles, a box for each would be a page of boxes: the filter is left out,
#: and the Sources page lists them.
ARTICLE_BOXES = 200
defaults = default_view(offer)


def keep_filters(view: ViewState, offer: Span) -> None:
    """A view's filters as the session holds them: every outlet and claim type for none named."""
    st.session_state.update(
        factions=list(view.factions),
        by=view.by,
        outlets=list(offer["outlets"] if view.outlets is None else view.outlets),
        articles=[d for d, _ in offer["articles"]] if view.articles is None else list(view.articles),
        cites=list(offer["cites"] if view.cites is None else view.cites),
        types=list(offer["types"] if view.types is None else view.types),
        firm=view.firm,
    )


if "init" not in st.session_state:
    params = st.query_params.to_dict()
    # A permalink's claim, looked up only for a link that names one: a new session's run is shared
    # by every reader, and a mask over the whole table was a tenth of it.
    claim = params.get("claim")
    linked: dict[str, tuple[str, str]] = {}
    if claim:  # columns zipped: itertuples makes a namedtuple class on each call (7% of the run)
        found = table.loc[table["claim_id"] == claim]
        rows = zip(found["claim_id"], found["place_id"], found["made_start"], strict=True)
        linked = {found_id: (str(place), public) for found_id, place, public in rows}
    view, link_notes = ViewState.from_params(
        params,
        defaults,
        outlets=outlets,
        articles=articles,
        cites=cites,
        types=types,
        places=gaz.places,
        claims=linked,
    )
    if view.claim and view.place and "center" not in params:  # a permalink opens on its claim's place
        moved = focus(gaz[view.place], MapView(zoom=view.zoom))
        view = dataclasses.replace(view, center=moved.center, zoom=moved.zoom)
    st.session_state.update(
        init=True,
        link_notes=link_notes,
        mode=view.mode,
        as_of=dt.date.fromisoformat(view.date),
        span=(dt.date.fromisoformat(view.start), dt.date.fromisoformat(view.end)),
        tiles=view.tiles,
        place=view.place,
        map_view=MapView(center=view.center, zoom=view.zoom, hide=view.hide, base=view.base),
        map_click=None,
        found=None,
        claim=view.claim,
        map_move=None,
        moves=0,
        place_box=0,
        day_box=0,
        whole_page=False,
    )
    keep_filters(view, offer)
# Only one of the two date widgets is drawn per run, and Streamlit drops the value of a keyed
# widget that a run does not draw; writing it back keeps it (Streamlit's documented way). The
# as-of date is the session's own, its slider a view of it (`set_day`).
st.session_state.span = st.session_state.span


FILTERS = (
    Choice("factions", "Factions", "boxes", [(f, SIDE_BY_ID[f].label) for f in LAYERS]),
    Choice(
        "by",
        "Match factions by",
        "radio",
        [("layer", "side favoured"), ("claimant", "claimant"), ("subject", "subject")],
        help="Side favoured: a control claim counts for the faction whose control it asserts, others for "
        "their claimant. Claimant: who makes the claim. Subject: whom the claim is about.",
    ),
    Choice("outlets", "Outlets", "boxes", [(o, o) for o in outlets], all_is_default=True),
    *(
        [
            Choice(
                "articles",
                "Articles",
                "boxes",
                offer["articles"],
                help="Each article by its outlet where known, else its first line, with its date; "
                "the Sources page reads each one.",
                all_is_default=True,
            )
        ]
        if len(articles) <= ARTICLE_BOXES
        else []
    ),
    Choice(
        "cites",
        "Outlets and agencies cited",
        "boxes",
        [(c, "none named" if c == NO_CITES else f"via {c}") for c in cites],
        help='Read from the text: the outlets a claim\'s paragraph cites ("according to …", "told …") '
        "and the agency of its article's dateline. A claim citing several stays while any is ticked.",
        all_is_default=True,
    ),
    Choice("types", "Claim types", "boxes", [(t, t.replace("_", " ")) for t in types], all_is_default=True),
    Choice(
        "firm",
        "Shade without unconfirmed claims and rumours",
        "switch",
        help="The status shading then ignores claims the text itself calls unconfirmed or a rumour; "
        "they are still listed and marked.",
    ),
)
PLAY_EVERY = 1.5  # seconds a day stays on screen while playing
DAY_PARAM = "day"  # the claims-per-day chart's selection (`timeline_chart`)


@st.fragment(run_every=PLAY_EVERY if st.session_state.get("playing") else None)
def player(first: dt.date, last: dt.date) -> None:
    """While playing, the next day, every PLAY_EVERY seconds, by a whole-page run.

    A fragment, so that time passes without the page running; it runs with the page too, so it
    steps only when its interval has passed since the last step. From the last day it starts
    again at the first; it stops at the last.
    """
    s = st.session_state
    if not s.get("playing"):
        return
    now = time.monotonic()
    if now < s.get("play_next", 0.0):
        return
    s.play_next = now + PLAY_EVERY - 0.05
    s.play_step = True  # taken by the page's run before it draws the date (`play_step`)
    st.rerun(scope="app")


FINISH_AFTER = 5.0  # seconds: the page is whole by then, whether or not the map's word came


@st.fragment(run_every=FINISH_AFTER)
def finish_page() -> None:
    """The rest of the page, should the map's report that it has drawn never come.

    The first run ends after the map, and the map's report causes the run that draws the rest
    (see `ViewKeeper`). That is one message from a frame, and it went missing twice in some two
    hundred loads of bench/browser.py, the page left with its map alone (cause not found).
    Drawn only in the first run, this runs with it, then once its interval has passed if the
    page is still not whole; a later run no longer draws it, and its timer ends with it."""
    s = st.session_state
    s.finish_calls = s.get("finish_calls", 0) + 1
    if s.finish_calls > 1:
        st.rerun(scope="app")


def play_step(first: dt.date, last: dt.date) -> None:
    """The step `player` asked for, made before the date slider is drawn: a widget's value cannot
    change once drawn in a run, and the fragment runs after it."""
    s = st.session_state
    if not s.pop("play_step", False):
        return
    set_day(first if s.as_of >= last else s.as_of + dt.timedelta(days=1))
    if s.as_of >= last:
        s.playing = False


def set_day(day: dt.date) -> None:
    """The page moves the as-of date itself (the map's own day buttons, a bar of the chart, Play).

    The slider takes a new key each time, as the Place box does (`select`): a value set on the
    slider's own key reaches the browser only when the run draws it, and a run cut short before
    that (the filters' widget, changed just after a day step, runs the page again at once) had
    the browser send the old day back, undoing the step."""
    st.session_state.as_of = day
    st.session_state.day_box += 1


def slid(key: str) -> None:
    """The reader moved the slider; one the page has since replaced (`set_day`) no longer counts."""
    if key == f"as-of-{st.session_state.day_box}":
        st.session_state.as_of = st.session_state[key]


def map_changed(gazetteer: Gazetteer, offer: Span) -> None:
    """Keep what the reader did on the map (a click, a zoom, a pan, a layer ticked, a day
    stepped with its own buttons) before the run that draws the page. What the claims offer (the
    days, outlets and claim types, for a step and the filters it carries) comes as an argument,
    as the callback runs before the run that would work it out.

    Read here rather than from `st_folium`'s return value: the component names its widget by a
    hash of the map's script, so a run that mounts a new map (online tiles turned on or off)
    returns the new widget's empty default, and the click that caused the run would be lost. Its
    callback puts the value under our key whichever widget received it. A pan reports the last
    click again: only a click not yet acted on selects its place (each is stamped, see `ClickSerial`)."""
    report = read_report(st.session_state.get("claims_map"), st.session_state.map_view)
    first, last = dt.date.fromisoformat(offer["first"]), dt.date.fromisoformat(offer["last"])
    st.session_state.map_view = report.view
    st.session_state.map_move = None  # the map has spoken since: any move asked for is done
    day = report.day
    if day is not None and st.session_state.mode == "as_of" and first <= day <= last and day != st.session_state.as_of:
        set_day(day)  # the map shows that day already; the page follows
        if report.filters is not None:  # with the filters it shows it with (chosen since, maybe)
            shown, _ = ViewState.from_params(
                dict(parse_qsl(report.filters, keep_blank_values=True)),
                default_view(offer),
                outlets=offer["outlets"],
                articles=[document for document, _ in offer["articles"]],
                cites=offer["cites"],
                types=offer["types"],
                places=gazetteer.places,
            )
            keep_filters(shown, offer)
    if report.clicked and report.clicked != st.session_state.map_click:
        st.session_state.map_click = report.clicked
        # The map stays where it is: the place is under the reader's pointer, and a map moved
        # now would carry away the popup they have just opened.
        if place := place_from_tooltip(report.clicked, gazetteer):
            select(place)


def filter_chosen(key: str, value: object) -> None:
    st.session_state[key] = value


def select(place_id: str | None) -> None:
    """Select a place from the map, a search or a link.

    The Place box takes a new key each time: a value set on the box's own key reaches the browser
    only when the run draws the box, and a run interrupted before that (the map reporting a move
    meanwhile) had the browser send the old place back, undoing the selection."""
    st.session_state.place = place_id
    st.session_state.place_box += 1


def picked(key: str, gazetteer: Gazetteer) -> None:
    """The reader chose in the Place box, and the map moves onto it. A box the page has since
    replaced (see `select`) can still report its old value from a run cut short; only the
    current box counts."""
    if key != f"place-{st.session_state.place_box}":
        return
    if (place := st.session_state[key]) is None:
        st.session_state.place = None
    else:
        choose_place(place, gazetteer)


def row_picked(key: str, places: tuple[str, ...], gazetteer: Gazetteer) -> None:
    """A row chosen in the claims table selects its claim's place, as a click on the map would,
    and brings it into view. `places` are the rows' places in the order the table showed them,
    given by the run that drew it: the selection comes as row positions."""
    rows = st.session_state[key].selection.rows
    if rows and rows[0] < len(places):
        choose_place(places[rows[0]], gazetteer)


def day_picked(key: str, first: dt.date, last: dt.date) -> None:
    """A bar chosen in the claims-per-day chart: the map shows that day. As of a date, the date
    moves there; in a date range, the range narrows to the day (its claims are the bar's: the
    chart counts a claim on the day its event ends)."""
    chosen = st.session_state[key].selection.get(DAY_PARAM) or []
    days = [d["date"] for d in chosen if isinstance(d, dict) and isinstance(d.get("date"), str)]
    if not days:
        return
    day = min(max(dt.date.fromisoformat(days[0][:10]), first), last)
    if st.session_state.mode == "as_of":
        set_day(day)
    else:
        st.session_state.span = (day, day)


def find_place(gazetteer: Gazetteer) -> None:
    """Resolve what the reader typed in "Find a place", select the place and bring it into view.
    The resolver's explanation is kept to be shown, so the reader sees why it matched, or why not."""
    query = st.session_state.find.strip()
    if not query:
        st.session_state.found = None
        return
    result = resolver().resolve(query)
    st.session_state.found = (result.place.id if result.place else None, result.explanation)
    if result.place is not None:
        choose_place(result.place.id, gazetteer)


def choose_place(place_id: str, gazetteer: Gazetteer) -> None:
    """Select a place and move the map onto it."""
    select(place_id)
    st.session_state.map_view = focus(gazetteer[place_id], st.session_state.map_view)
    st.session_state.moves += 1
    st.session_state.map_move = move_request(st.session_state.map_view, st.session_state.moves)


play_step(first, last)
st.title("Panjshir 2021: who claimed what, where, when")
# The date, the control read most, sits above the map; the filters wait in the sidebar, folded
# at first so that the map has the window's width (README, "Layout").
when, moves = st.columns([1, 3])
with when:
    st.radio(
        "View",
        ["as_of", "range"],
        key="mode",
        format_func={"as_of": "As of a date", "range": "Date range"}.get,
        help="Every claim has two dates: when its event happened, and when the claim was made public "
        "(the statement's date where the text gives it, else the article's). **As of a date** lists the "
        "claims public by that day and shades each place by the claims in force then (from the day made "
        "public until 3 days after the event and the statement). **Date range** lists the claims whose "
        "events fall in the range, whenever they were made public. A place's colour follows one rule: "
        "both sides' control claims, or any denial, make it contested; one side's, that side's; "
        "only fighting, attacks or advances, fighting reported. A district without claims of its own "
        "takes its province's status, drawn lighter.",
        horizontal=True,
    )
with moves:
    if st.session_state.mode == "as_of":
        # A day at a time with the map's own ◀ Day and Day ▶ (`DaySteps`): the map draws the day
        # at once, where a button here would wait for the page's run.
        slider, play = st.columns([4, 1], vertical_alignment="bottom")
        day_box = f"as-of-{st.session_state.day_box}"
        slider.slider(
            "As of",
            first,
            last,
            value=st.session_state.as_of,
            key=day_box,
            on_change=slid,
            args=(day_box,),
            step=dt.timedelta(days=1),
            format="YYYY-MM-DD",
            help="A day at a time: ◀ Day and Day ▶ on the map, or the arrow keys here.",
        )
        with play:
            st.toggle(
                "Play the days",
                key="playing",
                help=f"A day every {PLAY_EVERY:g} s, to the last; the map keeps its view.",
            )
            if st.session_state.get("playing"):  # a fragment costs each run a deep copy (6%)
                player(first, last)
    else:
        st.slider("Dates", first, last, key="span", step=dt.timedelta(days=1), format="YYYY-MM-DD")
# The map first: a session's first run stops after the map and its panel (below). The chart and
# the table took the browser about a second to set up, in the thread the map's frame shares,
# before the map could draw (bench/README.md); the sidebar's filters, folded at first, 0.2 s. A
# map says when it has drawn its claims (see `ViewKeeper`), and the run that causes draws the
# whole page; so does any other. Until then the filters' values are in the session's state.
whole_page = st.session_state.whole_page
st.session_state.whole_page = True
if whole_page:
    with st.sidebar:
        # Filters whose change the map draws at once, before the page's run (`views.filters`).
        quick_filters(
            FILTERS,
            {c.key: st.session_state[c.key] for c in FILTERS},
            key="filters",
            on_change=filter_chosen,
        )
        st.toggle("Online basemap tiles", key="tiles", help="Off: bundled boundaries only, works without internet")

s = st.session_state
view = ViewState(
    mode=s.mode,
    date=s.as_of.isoformat(),
    start=s.span[0].isoformat(),
    end=s.span[1].isoformat(),
    factions=tuple(s.factions),
    by=s.by,
    outlets=None if set(s.outlets) == set(outlets) else tuple(s.outlets),
    articles=None if set(s.articles) == set(articles) else tuple(s.articles),
    cites=None if set(s.cites) == set(cites) else tuple(s.cites),
    types=None if set(s.types) == set(types) else tuple(s.types),
    place=s.place,
    tiles=s.tiles,
    firm=s.firm,
    center=s.map_view.center,
    zoom=s.map_view.zoom,
    hide=s.map_view.hide,
    base=s.map_view.base,
    claim=s.claim,
)

# Filters work on the narrow index; whole rows are fetched (`table.loc`) only for what is shown.
# Status comes from every claim, whatever the filters: they hide markers, never change a colour.
listed, label = view_claims(index, view)
status = view_status(revision, view)
layers = shown_layers(view)

for note in s.link_notes:  # what the page's link asked for and did not get
    st.warning(escape_markdown(note))
st.caption(
    f"{len(listed)} claim{'s' if len(listed) != 1 else ''} {label} from {listed['document'].nunique()} "
    f"article{'s' if listed['document'].nunique() != 1 else ''}. "
    "Markers show claims, not facts; each opens its source's words. "
    + (
        "As of a date: claims made public by then; shading from the claims in force that day."
        if view.mode == "as_of"
        else "Date range: claims whose events fall in the range; shading from all of them."
    )
    + " Shading uses every claim, whatever the filters."
)
groups = (
    ("Factions", s.factions),
    ("Outlets", s.outlets),
    ("Articles", s.articles),
    ("Outlets and agencies cited", s.cites),
    ("Claim types", s.types),
)
unticked = [name for name, chosen in groups if not chosen]
# An empty map that says why. Always a slot, filled or not: an element that came and went before
# the map would move it in the page, and Streamlit would mount a new one.
hint = st.empty()
if unticked:
    hint.info(f"No claims are listed while no box is ticked in {' and '.join(unticked)} (in the sidebar).")
st.markdown(CARD_CSS, unsafe_allow_html=True)

# The map leads: three quarters of the main area, the page's side padding narrowed to give it room;
# with the sidebar folded, over 70% of a 1400 px window. On a phone the title takes two lines, not
# four, so that the map begins in the first screen.
st.markdown(
    "<style>[data-testid='stMainBlockContainer']{padding:3.5rem 1rem 2rem}"
    "@media (max-width: 640px){[data-testid='stMainBlockContainer'] h1{font-size:1.6rem}}</style>",
    unsafe_allow_html=True,
)
left, right = st.columns([3, 1])
with left:
    st_folium(
        # A view the reader has not chosen opens fitted to the places with claims (`claims_bounds`).
        claims_base_map(gaz, tiles=s.tiles, view=s.map_view, fit=claims_bounds(listed, gaz)),
        key="claims_map",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip", "center", "zoom", "selected_layers"],
        render=False,  # it renders the map's scripts itself; rendering the whole page as well doubled the cost
        # The claims change with every run and the map stays mounted: the component swaps these
        # layers, and the layer control naming them, into it (see `claims_base_map`).
        # They are `geo.web.viewlayers`'s, as the map's own day buttons fetch another day's.
        feature_group_to_add=layers_at(revision, view),
        layer_control=layer_control(),
        # Only to move the map (a place found by name), see `move_request`; the view it opens
        # at is in its header (`claims_base_map(view=...)`).
        center=s.map_move[0] if s.map_move else None,
        zoom=s.map_move[1] if s.map_move else None,
        on_change=functools.partial(map_changed, gaz, offer),
    )
with right:
    # The legend beside the map, folded: on a phone the columns stack and it comes after the map,
    # where above it the legend's twelve rows pushed the map out of the first screen.
    with st.expander("Legend: what the symbols and colours say"):
        st.markdown(legend_html(), unsafe_allow_html=True)
    # Places with claims listed, places with a status only (a district inheriting its province's),
    # and the place a link or a click chose, even on a day with nothing there: the panel says so.
    chosen = {s.place} if s.place in gaz.places else set()
    named = sorted({*listed["place_id"].unique(), *status.index, *chosen}, key=lambda p: gaz[p].label())
    st.text_input(
        "Find a place",
        key="find",
        on_change=find_place,
        args=(gaz,),
        placeholder="any spelling: Pazark, Rukha, Shattal, Panjsher…",
        help="Names are matched as the gazetteer page does: listed variants, transliterations, close spellings.",
    )
    if s.found is not None:
        found_id, explanation = s.found
        if found_id is None:
            st.warning(escape_markdown(explanation))
        elif found_id == s.place:
            st.caption(escape_markdown(explanation))
            others = [c.place.id for c in resolver().resolve(s.find).candidates if c.place.id != found_id]
            for other, column in zip(others[:3], st.columns(3), strict=False):
                column.button(
                    f"Show {gaz[other].label()}",
                    key=f"found-{other}",
                    on_click=choose_place,
                    args=(other, gaz),
                    width="stretch",
                )
    box = f"place-{s.place_box}"
    st.selectbox(
        "Place",
        [None, *named],
        index=[None, *named].index(s.place) if s.place in named else 0,
        key=box,
        on_change=picked,
        args=(box, gaz),
        format_func=lambda p: "(click a marker)" if p is None else gaz[p].label(),
    )
    # A busy place holds hundreds of claims: they scroll here, so the chart and the table below
    # stay one screen down.
    with st.container(height=PANEL_HEIGHT, key="side-panel"):
        if s.claim is not None and table.loc[table["claim_id"] == s.claim, "place_id"].eq(s.place).any():
            # A claim's permalink: its card first, whichever page of the place's claims holds it.
            (row,) = table.loc[table["claim_id"] == s.claim].itertuples()
            st.markdown(
                f"<div class='linked-claim'><b>Linked claim {escape_text(s.claim)}</b>"
                f"{claim_card(row, texts[row.document])}</div>",
                unsafe_allow_html=True,
            )
        else:
            s.claim = None  # the reader has moved on to another place
        if s.place:
            claims_here = in_time_order(listed[listed["place_id"] == s.place], newest_first=True).index
            # Said as the place's popup says it, from the same count (`geo.claims.counts`).
            said, state = place_lines(s.place, place_counts(listed), status, label)
            st.markdown(f"**{said}**  \n{state}")  # our words: dates, sides and statuses, no article's
            if claims_here.empty and s.place in status.index:
                st.caption("No claim here passes the filters; the status comes from every claim, whatever the filters.")
            if s.place in status.index:
                behind = status.at[s.place, "claims"].split(";") if status.at[s.place, "claims"] else []
                listed_ids = ", ".join(behind[:SHOWN_IDS]) + (
                    f" and {len(behind) - SHOWN_IDS} more" if len(behind) > SHOWN_IDS else ""
                )
                st.markdown(
                    f"<div class='why'>Why: {escape_text(status.at[s.place, 'why'])}"
                    f"<br>Claims behind it: {escape_text(listed_ids or 'none')}</div>",
                    unsafe_allow_html=True,
                )
            # A busy place can hold thousands of claims: they come a page at a time, newest first.
            pages = range(0, len(claims_here), CARDS_PER_PAGE)
            page = 0
            if len(pages) > 1:
                page = st.selectbox(
                    "Claims",
                    pages,
                    key=f"page-{s.place}",
                    format_func=lambda i: f"{i + 1}–{min(i + CARDS_PER_PAGE, len(claims_here))} (newest first)",
                )
            cards: dict[str, list[str]] = {layer: [] for layer in LAYERS}
            for row in table.loc[claims_here[page : page + CARDS_PER_PAGE]].itertuples():
                cards[row.map_faction].append(claim_card(row, texts[row.document]))
            # Each side under its own heading, one above the other: side by side, a quote in a quarter
            # of the page would wrap every few words.
            for faction in LAYERS:
                if cards[faction]:
                    st.markdown(f"**{SIDE_BY_ID[faction].label} side**")
                    st.markdown("".join(cards[faction]), unsafe_allow_html=True)
        else:
            st.info("Click a marker or an outline on the map to read its claims here, or choose a place above.")

view = ViewState(**{**view.as_dict(), "place": s.place, "claim": s.claim})
st.query_params.from_dict(view.to_params(defaults))
if not whole_page:
    st.caption("The filters, the claims per day, the table and the downloads follow once the map has drawn.")
    finish_page()
    st.stop()

st.subheader("Claims per day")
timeline = per_day(listed)
if len(timeline):
    data, spec = timeline_chart(timeline, select=DAY_PARAM)
    st.vega_lite_chart(
        data,
        spec,
        width="stretch",
        key="timeline",
        on_select=functools.partial(day_picked, "timeline", first, last),
        selection_mode=DAY_PARAM,
    )
    st.caption("Click a bar to see the map on its day.")
st.subheader("Claims")
columns = [
    "claim_id",
    "date_start",
    "date_end",
    "place_name",
    "type",
    "claimant",
    "subject",
    "article",
    "cites",
    "quote",
]
if len(listed) > TABLE_ROWS:
    st.caption(f"The {TABLE_ROWS:,} latest of {len(listed):,} claims; download the set for all of them.")
rows = listed["seq"].nlargest(TABLE_ROWS).index
st.caption("Choose a row to select its place on the map.")
st.dataframe(
    table.loc[rows, columns],
    hide_index=True,
    width="stretch",
    key="claims-table",
    on_select=functools.partial(row_picked, "claims-table", tuple(listed.loc[rows, "place_id"]), gaz),
    selection_mode="single-row",
)
unmapped = listed["seq"][(listed["geo_precision"] == "country") | ~listed["pinned"]]
if len(unmapped):
    with st.expander(f"{len(unmapped)} claims not drawn on the map (country-wide or unpinned places)"):
        st.dataframe(table.loc[unmapped.nlargest(TABLE_ROWS).index, columns], hide_index=True, width="stretch")
share_button("share")
st.download_button(
    f"Download the status of every place {label} (CSV)",
    # Made on click: given as bytes, it was fetched with every page (130 kB at 100,000 claims).
    data=functools.partial(status_file, status),
    file_name=f"{view.file_stem('panjshir-status', defaults)}.csv",
    mime="text/csv",
    on_click="ignore",
)
for fmt, column in zip(FORMATS, st.columns(len(FORMATS)), strict=True):
    column.download_button(
        f"Download {fmt.upper()}",
        # Made on click, not on every rerun: exporting 100,000 claims takes seconds.
        data=functools.partial(download, table, listed.index, fmt),
        file_name=f"{view.file_stem('panjshir-claims', defaults)}{SUFFIXES[fmt]}",
        disabled=listed.empty,
        on_click="ignore",
        width="stretch",
    )
by_label = {"layer": "side favoured", "claimant": "claimant", "subject": "subject"}[s.by]
caption = caption_lines(
    title="Panjshir 2021: claims",
    when=label,
    place=gaz[s.place].label() if s.place in gaz.places else None,
    filters={
        "factions": f"{', '.join(SIDE_BY_ID[f].label for f in s.factions) or 'none'} (by {by_label})",
        "outlets": "all" if view.outlets is None else ", ".join(view.outlets) or "none",
        "articles": "all" if view.articles is None else f"{len(view.articles)} of {len(articles)}",
        "outlets cited": "all" if view.cites is None else ", ".join(view.cites) or "none",
        "claim types": "all" if view.types is None else ", ".join(view.types) or "none",
        "shading": "without unconfirmed claims and rumours" if s.firm else "from every claim",
    },
    sources=listed["outlet"].value_counts().loc[lambda n: n > 0].to_dict(),
)
st.download_button(
    "Download this map (HTML)",
    # The map as shown (view, layers, selection), with Leaflet and the boundaries inside: it opens
    # from the file, offline. Made on click, as the claims' files are.
    data=functools.partial(
        map_file,
        listed,
        status,
        layers=layers,
        tiles=s.tiles,
        label=label,
        view=s.map_view,
        place=s.place,
        caption=caption,
    ),
    file_name=f"{view.file_stem('panjshir-map', defaults, selected=True)}.html",
    mime="text/html",
    on_click="ignore",
    help="One HTML file that shows this view with no server and no internet, captioned with the date, "
    "filters and sources.",
)
