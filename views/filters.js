// The claims page's filters (views/filters.py), a Streamlit components v2 module: the check boxes,
// radio groups and switches drawn from `data.choices`; a change asks the map to draw it
// (`daySteps.filter` in the map's frame) before the page runs.
// `pending`: the reader's choices the page's data has not yet brought back, each with its time, so
// that the data of a run started before them does not undo them for a moment, and so that a fetch
// for one change carries the others. `sent`: the values the page has, or was last given.
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
