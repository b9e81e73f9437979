"""The claims page's filters as one widget whose every change the map draws at once.

A Streamlit widget changes the map only through a run of the whole page, and Streamlit's frontend
renders the page again before the map's new layers are drawn: a faction removed in a multiselect
took 0.3-0.4 s to leave the map on the bundled data and 0.6 s at 100,000 claims, over the 0.3 s
goal (bench/README.md). These filters are a custom component instead (Streamlit's components v2,
in the page itself, not in a frame): on a change it asks the map to fetch and draw the layers
with the new choice (`window.daySteps.filter`, `geo.web.mapelements.DaySteps`, from the route
the day buttons use), then sets its value, which runs the page; that run brings the same layers,
which the map leaves alone. Where the map cannot (a date range, no route, no map yet) the run
alone draws the change.

Each filter is a `Choice`, named by its session-state key, which is also its link parameter
(`geo.web.urlstate.ViewState`). Values come from the browser: `chosen_value` keeps what the
choice allows and drops the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import streamlit as st

#: The claims map's frame, which the filters ask to draw (streamlit-folium's component).
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"
#: How long the page's run waits for the map to draw a choice before it starts all the same.
MAP_WAIT_MS = 1000


@dataclass(frozen=True)
class Choice:
    """One filter: check boxes (several values), a radio group (one) or a switch (on or off).

    `all_is_default`: every box ticked is the link's default, written as no parameter at all
    (outlets and claim types: a new outlet in the store is then in the view too)."""

    key: str
    label: str
    kind: Literal["boxes", "radio", "switch"]
    options: Sequence[tuple[str, str]] = ()
    help: str = ""
    all_is_default: bool = False


_HTML = "<div class='filters'></div>"

_CSS = """
fieldset { border: 0; margin: 0 0 1rem; padding: 0; font-family: inherit; min-width: 0; }
legend { font-size: 0.875rem; padding: 0 0 0.35rem; }
.options { display: flex; flex-direction: column; gap: 0.35rem; }
.options.radio { flex-direction: row; flex-wrap: wrap; gap: 0.35rem 1rem; }
.options.many { display: grid; grid-template-columns: 1fr 1fr; gap: 0.35rem 0.75rem; }
label { display: inline-flex; align-items: center; gap: 0.5rem; font-size: 1rem; cursor: pointer; }
input { width: 1rem; height: 1rem; margin: 0; flex: none; accent-color: var(--st-primary-color); cursor: pointer; }
input:focus-visible { outline: 2px solid var(--st-primary-color); outline-offset: 2px; }
.help { margin: 0.35rem 0 0; font-size: 0.8rem; opacity: 0.7; }
"""

# `pending`: the reader's choices the page's data has not yet brought back, each with its time, so
# that the data of a run started before them does not undo them for a moment, and so that a fetch
# for one change carries the others. `sent`: the values the page has, or was last given.
_JS = """
export default function (component) {
    const { data, setStateValue, parentElement } = component;
    const root = parentElement.querySelector(".filters");
    const state = root.state || (root.state = { pending: {}, sent: {}, asked: 0 });
    if (!root.childElementCount) {
        data.choices.forEach((choice) => {
            const set = document.createElement("fieldset");
            set.dataset.key = choice.key;
            if (choice.kind !== "switch") {
                const legend = document.createElement("legend");
                legend.textContent = choice.label;
                set.append(legend);
            }
            const list = document.createElement("div");
            const options = choice.kind === "switch" ? [["1", choice.label]] : choice.options;
            list.className = "options " + choice.kind + (options.length > 6 ? " many" : "");
            options.forEach(([value, text]) => {
                const label = document.createElement("label");
                const input = document.createElement("input");
                input.type = choice.kind === "radio" ? "radio" : "checkbox";
                input.name = choice.key;
                input.value = value;
                label.append(input, text);
                list.append(label);
            });
            set.append(list);
            if (choice.help) {
                const help = document.createElement("p");
                help.className = "help";
                help.id = "help-" + choice.key;
                help.textContent = choice.help;
                set.append(help);
                set.setAttribute("aria-describedby", help.id);
            }
            root.append(set);
        });
    }
    // Folded, the sidebar is off screen but its inputs were still tab stops, to be ticked unseen.
    const sidebar = (parentElement.host || parentElement).closest("[data-testid='stSidebar']");
    if (sidebar && !state.folding) {
        const fold = () => { root.inert = sidebar.getAttribute("data-collapsed") === "true"; };
        state.folding = new MutationObserver(fold);
        state.folding.observe(sidebar, { attributes: true, attributeFilter: ["data-collapsed"] });
        fold();
    }
    const inputs = (key) => [...root.querySelectorAll(`fieldset[data-key="${key}"] input`)];
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const valueOf = (choice, flipped) => {  // as ticked, or as it would be with `flipped` clicked
        const on = (i) => {
            if (i === flipped) { return choice.kind === "radio" || !i.checked; }
            return i.checked && !(choice.kind === "radio" && flipped);
        };
        const boxes = inputs(choice.key);
        if (choice.kind === "switch") { return on(boxes[0]); }
        if (choice.kind === "radio") { const one = boxes.find(on); return one ? one.value : null; }
        return boxes.filter(on).map((i) => i.value);
    };
    const param = (choice, value) => {
        if (choice.kind === "switch") { return value ? "1" : "0"; }
        if (choice.kind === "radio") { return value; }
        return choice.all_is_default && value.length === choice.options.length ? null : value.join(",");
    };
    data.choices.forEach((choice) => {
        const pending = state.pending[choice.key];
        if (pending && Date.now() - pending.at < 5000 && !same(pending.value, choice.chosen)) {
            return;  // a run from before the reader's latest choice: theirs stays
        }
        delete state.pending[choice.key];
        state.sent[choice.key] = choice.chosen;
        inputs(choice.key).forEach((i) => {
            i.checked = choice.kind === "switch" ? Boolean(choice.chosen)
                : choice.kind === "radio" ? i.value === choice.chosen : choice.chosen.includes(i.value);
        });
    });
    const map = () => {
        try {
            const frame = document.querySelector(data.map);
            return (frame && frame.contentWindow && frame.contentWindow.daySteps) || null;
        } catch (e) {
            return null;
        }
    };
    const changes = (extra) => {  // every choice the page has not brought back yet, as link parameters
        const out = {};
        data.choices.forEach((choice) => {
            if (state.pending[choice.key]) { out[choice.key] = param(choice, state.pending[choice.key].value); }
        });
        return Object.assign(out, extra || {});
    };
    // The page runs once the map has drawn (or could not, or took too long): started at once, the
    // run held the server while the map waited for its answer, and both came at the same time.
    const run = () => {
        data.choices.forEach((choice) => {
            const value = valueOf(choice);
            if (!same(value, state.sent[choice.key])) {
                state.sent[choice.key] = value;
                setStateValue(choice.key, value);
            }
        });
    };
    data.choices.forEach((choice) => {
        inputs(choice.key).forEach((input) => {
            input.onchange = () => {
                state.pending[choice.key] = { value: valueOf(choice), at: Date.now() };
                const mine = ++state.asked, steps = map();
                if (!steps) { run(); return; }
                const waited = new Promise((done) => setTimeout(done, data.wait_ms));
                const latest = () => { if (mine === state.asked) { run(); } };  // a later change runs for both
                Promise.race([steps.filter(changes()), waited]).then(latest, latest);
            };
            // The state a click would give, fetched ahead once the pointer or the keyboard is on
            // the box. Not every box's on entering the filters: asked all at once, the server
            // took thrice as long for each.
            input.parentElement.onpointerenter = input.onfocus = () => {
                const steps = map();
                if (!steps || (choice.kind === "radio" && input.checked)) { return; }
                steps.ahead(changes({ [choice.key]: param(choice, valueOf(choice, input)) }));
            };
        });
    });
    return () => {
        if (state.folding) { state.folding.disconnect(); state.folding = null; }
    };
}
"""

_filters = st.components.v2.component("panjshir_filters", html=_HTML, css=_CSS, js=_JS)


def chosen_value(choice: Choice, value: object) -> object:
    """What the browser sent for `choice`, as the choice allows it; None if nothing usable (the
    filter then stays as it was). Boxes: the known values, once each, in the choice's order."""
    known = [v for v, _ in choice.options]
    if choice.kind == "switch":
        return value if isinstance(value, bool) else None
    if choice.kind == "radio":
        return value if isinstance(value, str) and value in known else None
    if not isinstance(value, list | tuple):
        return None
    named = {v for v in value if isinstance(v, str)}
    return [v for v in known if v in named]


def quick_filters(
    choices: Sequence[Choice],
    chosen: dict[str, object],
    *,
    key: str,
    on_change: Callable[[str, object], None],
) -> None:
    """Draw the filters with `chosen` (by each choice's key); `on_change(key, value)` gets each
    change the reader makes, checked (`chosen_value`), before the run it causes."""

    def changed(choice: Choice) -> None:
        value = chosen_value(choice, st.session_state[key].get(choice.key))
        if value is not None:
            on_change(choice.key, value)

    _filters(
        key=key,
        data={
            "choices": [
                {
                    "key": c.key,
                    "label": c.label,
                    "kind": c.kind,
                    "options": [list(o) for o in c.options],
                    "help": c.help,
                    "all_is_default": c.all_is_default,
                    "chosen": chosen[c.key],
                }
                for c in choices
            ],
            "map": MAP_FRAME,
            "wait_ms": MAP_WAIT_MS,
        },
        default={c.key: chosen[c.key] for c in choices},
        height="content",
        **{f"on_{c.key}_change": (lambda c=c: changed(c)) for c in choices},
    )
