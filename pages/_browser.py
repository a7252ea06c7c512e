"""What this browser keeps for its visitor across sessions (cookies), so that a session that moves to another app
process, or starts after a restart, knows what the visitor was doing: the owner tokens of datasets saved or opened
with their owner link (a delete still works), and an upload not yet saved (said to be lost, never silently dropped).

A session reads its cookies once, when its connection opens (``st.context.cookies``); they are written by a small
script in the page. Values are URL-safe by construction (dataset ids, tokens, percent-encoded names)."""

from __future__ import annotations

from urllib.parse import quote, unquote

import streamlit as st

UNSAVED = "peta_unsaved"  # the name of an upload in use but not saved
OWNER = "peta_owner_"  # + a dataset's id: its owner token


def _script(js: str) -> None:
    st.html(f"<script>{js}</script>", unsafe_allow_javascript=True, width="content")


def remember(name: str, value: str) -> None:
    """Keep ``name=value`` in this browser until it closes (strictly first-party)."""
    _script(f"document.cookie = '{name}={quote(value, safe='')}; Path=/; SameSite=Strict';")


def forget(name: str) -> None:
    _script(f"document.cookie = '{name}=; Path=/; Max-Age=0; SameSite=Strict';")


def kept(name: str) -> str | None:
    """What this browser kept under ``name`` when this session's connection opened."""
    value = st.context.cookies.get(name)
    return unquote(value) if isinstance(value, str) and value else None  # (a test harness has no cookies)


def owner_cookie(dataset_id: str) -> str:
    return OWNER + dataset_id


_ENTER_COMMITS = """
if (!window.__petaEnterCommits) {
  window.__petaEnterCommits = true;
  /* A date typed into a date field was taken only on Esc or a click elsewhere; Enter opened the calendar and kept
     the old date. Enter now does what Esc does: the typed date applies, as Enter applies every other field. */
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || e.isComposing) return;
    var field = e.target && e.target.closest && e.target.closest('[data-testid="stDateInputField"]');
    if (!field) return;
    e.preventDefault();
    e.stopPropagation();
    var esc = {key: "Escape", code: "Escape", keyCode: 27, which: 27, bubbles: true, cancelable: true};
    e.target.dispatchEvent(new KeyboardEvent("keydown", esc));  /* what Esc does: take the typed date */
    e.target.dispatchEvent(new KeyboardEvent("keyup", esc));
  }, true);
}
"""


def enter_applies_typed_dates() -> None:
    """Once per page: Enter in a date field applies the typed date (see ``_ENTER_COMMITS``)."""
    _script(_ENTER_COMMITS)


def bring_into_view(anchor: str) -> None:
    """Scroll the page to the element with id ``anchor`` (a heading's anchor), once it is drawn: what the visitor's
    click opened comes into view instead of appearing unseen below the fold."""
    _script("(function (n) { var e = document.getElementById(%r); if (e) { e.scrollIntoView({behavior: 'smooth', "
            "block: 'start'}); } else if (n < 40) { setTimeout(arguments.callee.bind(null, n + 1), 100); } })(0);"
            % anchor)
