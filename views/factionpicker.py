"""The claims page's Factions filter: a box per faction, whose change the map draws at once.

A Streamlit widget changes the map only through a run of the whole page, and Streamlit's frontend
renders the page again before the map's new layers are drawn: a faction removed in a multiselect
took 0.3-0.4 s to leave the map on the bundled data and 0.6 s at 100,000 claims, over the 0.3 s
goal (bench/README.md). This filter is a custom component (Streamlit's components v2, in the
page itself, not in a frame): on a change it asks the map to fetch and draw the layers with the
new factions (`window.daySteps.filter`, `geo.web.mapelements.DaySteps`, from the route the day
buttons use), then sets its value, which runs the page; that run brings the same layers, which
the map leaves alone. Where the map cannot (a date range, no route, no map yet) the run alone
draws the change.

The value comes from the browser: only known factions count, in the page's order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from geo.claims.sides import LAYERS, SIDE_BY_ID

#: The claims map's frame, which the filter asks to draw (streamlit-folium's component).
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
#: How long the page's run waits for the map to draw a choice before it starts all the same.
MAP_WAIT_MS = 1000

_HTML = "<fieldset><legend>Factions</legend><div class='boxes'></div></fieldset>"

_CSS = """
fieldset { border: 0; margin: 0 0 0.25rem; padding: 0; font-family: inherit; }
legend { font-size: 0.875rem; padding: 0 0 0.35rem; }
.boxes { display: flex; flex-direction: column; gap: 0.35rem; }
label { display: inline-flex; align-items: center; gap: 0.5rem; font-size: 1rem; cursor: pointer; }
input { width: 1rem; height: 1rem; margin: 0; accent-color: var(--st-primary-color); cursor: pointer; }
input:focus-visible { outline: 2px solid var(--st-primary-color); outline-offset: 2px; }
"""

# `pending`: the reader's last choice and when, so that the data of a run started before it (two
# boxes clicked quicker than the page runs) does not tick the boxes back for a moment. `sent`: the
# value the page has, or was last given.
_JS = """
export default function (component) {
    const { data, setStateValue, parentElement } = component;
    const boxes = parentElement.querySelector(".boxes");
    if (!boxes.childElementCount) {
        data.options.forEach(([value, text]) => {
            const label = document.createElement("label");
            const input = document.createElement("input");
            input.type = "checkbox";
            input.value = value;
            label.append(input, text);
            boxes.append(label);
        });
    }
    const inputs = [...boxes.querySelectorAll("input")];
    const chosen = () => inputs.filter((i) => i.checked).map((i) => i.value);
    const pending = boxes.pending;
    if (pending && Date.now() - pending.at < 5000 && pending.value.join() !== data.chosen.join()) {
        // a run from before the reader's latest choice: theirs stays
    } else {
        boxes.pending = null;
        boxes.sent = data.chosen.join();
        inputs.forEach((i) => { i.checked = data.chosen.includes(i.value); });
    }
    const map = () => {
        try {
            const frame = document.querySelector(data.map);
            return (frame && frame.contentWindow && frame.contentWindow.daySteps) || null;
        } catch (e) {
            return null;
        }
    };
    // The page runs once the map has drawn (or could not, or took too long): started at once, the
    // run held the server while the map waited for its answer, and both came at the same time.
    const run = () => {
        const value = chosen();
        if (value.join() !== boxes.sent) {
            boxes.sent = value.join();
            setStateValue("factions", value);
        }
    };
    inputs.forEach((input) => {
        input.onchange = () => {
            const value = chosen(), mine = (boxes.asked = (boxes.asked || 0) + 1);
            boxes.pending = { value, at: Date.now() };
            const steps = map();
            if (!steps) { run(); return; }
            const waited = new Promise((done) => setTimeout(done, data.wait_ms));
            const latest = () => { if (mine === boxes.asked) { run(); } };  // a later choice runs for both
            Promise.race([steps.filter({ factions: value.join(",") }), waited]).then(latest, latest);
        };
        // Its other state fetched ahead once the pointer or the keyboard is on the box. Not every
        // box's on entering the filter: asked all at once, the server took thrice as long for each.
        input.parentElement.onpointerenter = input.onfocus = () => {
            const steps = map();
            const value = inputs.filter((i) => (i === input ? !i.checked : i.checked)).map((i) => i.value);
            if (steps) { steps.ahead({ factions: value.join(",") }); }
        };
    });
}
"""

_picker = st.components.v2.component("panjshir_factions", html=_HTML, css=_CSS, js=_JS)


def chosen_factions(value: object) -> list[str]:
    """The factions a value from the browser names, known ones only, in the page's order."""
    named = set(value) if isinstance(value, list | tuple) else set()
    return [f for f in LAYERS if f in named]


def faction_picker(chosen: Sequence[str], *, key: str, on_change: Callable[[list[str]], None]) -> None:
    """Draw the filter with `chosen` ticked; `on_change` gets the reader's choice, before the run."""

    def changed() -> None:
        on_change(chosen_factions(st.session_state[key].get("factions")))

    _picker(
        key=key,
        data={
            "options": [[f, SIDE_BY_ID[f].label] for f in LAYERS],
            "chosen": list(chosen),
            "map": MAP_FRAME,
            "wait_ms": MAP_WAIT_MS,
        },
        default={"factions": list(chosen)},
        on_factions_change=changed,
        height="content",
    )
