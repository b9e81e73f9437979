// "Copy the link to this view" (views/share.py), a Streamlit components v2 module. The page's
// address is the view (date, filters, place, map centre and zoom: geo.web.urlstate), so the link
// is read when the button is pressed. Where the browser refuses the clipboard (a page served over
// plain http from another machine is no secure context), the link is shown selected, to copy by hand.
export default function (component) {
    const root = component.parentElement.querySelector(".share");
    if (root.dataset.ready) { return; }
    root.dataset.ready = "1";
    const button = root.querySelector("button");
    const note = root.querySelector(".note");
    const field = root.querySelector("input");
    button.addEventListener("click", async () => {
        const link = window.location.href;
        field.value = link;
        try {
            await navigator.clipboard.writeText(link);
            field.hidden = true;
            note.textContent = "Link copied: it opens this view (day, filters, place, map).";
        } catch (refused) {
            field.hidden = false;
            field.focus();
            field.select();
            note.textContent = "Copy this link (the browser keeps the clipboard from the page):";
        }
    });
}
