"""How the pages show errors: bad input as one plain-text message, a bug as a short apology with a reference.

User-supplied text (file, sheet and column names, cell values) reaches the page only through :func:`plain`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from geo.errors import PetaError, log_bug
from geo.i18n import gettext


def plain(text: str) -> str:
    """User-supplied text for st.error/st.warning/st.write: Markdown, HTML and LaTeX characters are escaped, so a
    column name such as ``![x](http://…)`` shows as typed and makes no browser fetch anything."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])", r"\\\1", text)


@contextmanager
def input_errors(what: str) -> Iterator[None]:
    """Show a bad input as one message in the page (the data in use does not change); a bug as a short apology with
    a reference (logged with its traceback), never a traceback."""
    lang = st.session_state.get("lang", "id")
    try:
        yield
    except PetaError as exc:
        st.error(plain(exc.say(lang)))
    except Exception as exc:  # a bug, not bad input
        ref = log_bug(exc)
        st.error(plain(gettext(lang, "Could not read {what}: an internal error happened (reference {ref}). The data "
                                     "in use did not change.", what=what, ref=ref)))
