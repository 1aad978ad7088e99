// treem: the little script the pages need beside htmx. No inline scripts (see the CSP).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLElement && field.matches("[data-autosubmit]") && field.form) {
    field.form.requestSubmit();
  }
});

document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (link) {
    event.preventDefault();
    window.print();
  }
});

// A picker's search box (treem/ui/pickers.py): Enter searches and moves to the list of what
// was found, instead of sending the whole form half filled. Without script, Enter sends the
// form and the server answers with the list (the picker's fallback).
document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (event.key !== "Enter" || !(box instanceof HTMLInputElement)) {
    return;
  }
  const picker = box.closest(".picker");
  const list = picker ? picker.querySelector("select") : null;
  if (list) {
    event.preventDefault();
    // Search again only for a text not searched yet: a second answer for the same text would
    // replace the list under the user's arrow keys and lose the choice just made.
    if (box.dataset.searched !== box.value) {
      box.dispatchEvent(new Event("search"));
    }
    list.focus();
  }
});

// The text each picker box was last searched with (by typing or by Enter).
document.addEventListener("htmx:beforeRequest", (event) => {
  const box = event.detail.elt;
  if (box instanceof HTMLInputElement && box.closest(".picker")) {
    box.dataset.searched = box.value;
  }
});
