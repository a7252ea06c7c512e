"""Streamlit's own words in the session's language.

Streamlit writes some texts itself, in English only, with no setting to change them: the upload box ("Upload",
"200MB per file"), its screen-reader labels ("Help for …", "Choose date", "file upload"), a table's toolbar
("Download as CSV", "Search", "Fullscreen"), the hint under a form's field ("Press Enter to submit form"). A small
script in the page replaces each of them, as Streamlit draws it, by its translation from our catalogs (the English
texts are msgids like any other); in English nothing is replaced. Charts are ours (pages/_charts.py) and carry their
own description. The main menu (⋮), whose items cannot be translated, is hidden (app.py's CSS).
"""

from __future__ import annotations

import json

import streamlit as st

from geo.i18n import N_, Msg, gettext
from pages._language import lang

#: Streamlit's texts, word for word.
EXACT = [N_("Upload"), N_("file upload"), N_("Choose date"), N_("Download as CSV"), N_("Download as PNG"),
         N_("Download as SVG"), N_("Search"), N_("Fullscreen"), N_("Close fullscreen"), N_("Close"),
         N_("Press Enter to submit form"), N_("Press Enter to apply"), N_("Clear all"), N_("Clear value"),
         N_("Show password text"), N_("Hide password text"), N_("Remove file"), N_("Drag and drop file here"),
         N_("Browse files"), N_("No results"), N_("Copy to clipboard"), N_("Show data"), N_("Hide data"),
         N_("Choose an option"), N_("Open"), N_("Selected values"), N_("Main menu"), N_("Previous month"),
         N_("Next month"), N_("Next"), N_("Previous"), N_("day"), N_("month"), N_("year"), N_("Add files"),
         # while the server restarts or a process is replaced: the status corner and the dialog
         N_("Connecting"), N_("Connecting to Streamlit server"), N_("Unable to connect to Streamlit server"),
         N_("Connection error"), N_("Streamlit server is not responding. Are you connected to the internet?"),
         N_("Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:"),
         N_("Running..."), N_("Stop"), N_("Rerun")]
#: Streamlit's texts with a part of their own (a label, a size, a date): a pattern and its message, {0}… the parts.
PATTERNS: list[tuple[str, Msg | str]] = [
    (r"^Help for (.+)$", N_("Help for {0}")),
    (r"^(\d+(?:\.\d+)?) ?MB per file(.*)$", N_("{0} MB per file{1}")),
    (r"^Limit (\d+(?:\.\d+)?) ?MB per file(.*)$", N_("{0} MB per file{1}")),
    (r"^Selected Date: (.+)$", N_("Selected date: {0}")),
    (r"^Not selected: (.+)$", N_("Not selected: {0}")),
    (r"^Remove (.+)$", N_("Remove {0}")),
    (r"^Cancel upload of (.+)$", N_("Cancel upload of {0}")),
    (r"^Choose date, (.+)$", N_("Choose date, {0}")),
    (r"^day, (.+)$", N_("day, {0}")),
    (r"^month, (.+)$", N_("month, {0}")),
    (r"^year, (.+)$", N_("year, {0}")),
    # a calendar's month and its days: the names are translated (below), the rest kept
    (r"^((?:January|February|March|April|May|June|July|August|September|October|November|December)"
     r"(?: \d{4})?)$", "{0}"),
    (r"^((?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), .+)$", "{0}"),
]

_SCRIPT = """
(function (rules) {
  var doc = document;
  var months = new Map(rules.months || []);
  var exact = new Map(rules.exact), patterns = rules.patterns.map(function (p) { return [new RegExp(p[0]), p[1]]; });
  function say(text) {
    var t = text.trim();
    if (!t) return null;
    if (exact.has(t)) return text.replace(t, exact.get(t));
    for (var i = 0; i < patterns.length; i++) {
      var m = patterns[i][0].exec(t);
      if (m) return patterns[i][1].replace(/\\{(\\d)\\}/g, function (_, k) { return m[+k + 1] || ""; })
        .replace(/\\b[A-Z][a-z]+\\b/g, function (w) { return months.get(w) || w; });
    }
    return null;
  }
  function fix(node) {
    if (node.nodeType === 3) {
      var p = node.parentElement;
      if (p && (p.closest("[data-testid=stMarkdown], [data-testid=stText], [data-testid=stCode], .peta-own")))
        return;  /* our own texts and the data's: never touched */
      var s = say(node.nodeValue); if (s !== null && s !== node.nodeValue) node.nodeValue = s;
      return;
    }
    if (node.nodeType !== 1) return;
    ["aria-label", "title", "placeholder"].forEach(function (a) {
      var v = node.getAttribute(a); if (v) { var s = say(v); if (s !== null && s !== v) node.setAttribute(a, s); }
    });
    var w = doc.createTreeWalker(node, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    var n = w.nextNode();
    while (n) { if (n !== node) fix1(n); n = w.nextNode(); }
  }
  function fix1(n) {
    if (n.nodeType === 1) {
      ["aria-label", "title", "placeholder"].forEach(function (a) {
        var v = n.getAttribute(a); if (v) { var s = say(v); if (s !== null && s !== v) n.setAttribute(a, s); }
      });
    } else fix(n);
  }
  var state = window.__petaWords || (window.__petaWords = {});
  state.say = say;
  if (state.observer) state.observer.disconnect();
  if (!rules.exact.length) return;
  state.observer = new MutationObserver(function (records) {
    records.forEach(function (r) {
      if (r.type === "childList") r.addedNodes.forEach(fix);
      else if (r.type === "characterData") fix(r.target);
      else if (r.type === "attributes") fix1(r.target);
    });
  });
  state.observer.observe(doc.body, {childList: true, subtree: true, characterData: true, attributes: true,
                                    attributeFilter: ["aria-label", "title", "placeholder"]});
  fix(doc.body);
})(%s);
"""


def translate_streamlit_words() -> None:
    """Once per run (app.py): the page replaces Streamlit's English texts by this session's language's."""
    language = lang()
    if language == "en":  # what an earlier run of this page put in Bahasa Indonesia, back to Streamlit's words
        rules: dict = {"exact": [[gettext("id", m.msgid), str(m)] for m in EXACT], "patterns": []}
    else:
        from babel.dates import get_day_names, get_month_names

        from geo.i18n import locale

        months = list(zip(get_month_names("wide", locale="en").values(),  # and the days of the week
                          get_month_names("wide", locale=locale(language)).values()))
        months += list(zip(get_day_names("wide", locale="en").values(),
                           get_day_names("wide", locale=locale(language)).values()))
        rules = {"exact": [[str(m), gettext(language, m.msgid)] for m in EXACT],
                 "patterns": [[p, gettext(language, m.msgid) if isinstance(m, Msg) else m] for p, m in PATTERNS],
                 "months": months}
    st.html(f"<script>{_SCRIPT % json.dumps(rules, ensure_ascii=False)}</script>", unsafe_allow_javascript=True,
            width="content")
