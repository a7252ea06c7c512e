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


#: What Markdown's autolinking turns into a link even when escaped ("http://…", "www.…", "name@host"): a word joiner
#: (U+2060, invisible) is put inside each, so user text shown in a message never becomes a link.
_AUTOLINK = re.compile(r"(?i)(://|\bwww\\?\.|@)")


def plain(text: str) -> str:
    """User-supplied text for st.error/st.warning/st.write: Markdown, HTML and LaTeX characters are escaped, so a
    column name such as ``![x](http://…)`` shows as typed and makes no browser fetch anything; addresses are kept
    from being autolinked (:data:`_AUTOLINK`)."""
    escaped = re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])", r"\\\1", text)
    return _AUTOLINK.sub(lambda m: {"://": ":\u2060//", "@": "\u2060@"}.get(m.group(1), m.group(1)[:3] + "\u2060"
                                                                           + m.group(1)[3:]), escaped)


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
