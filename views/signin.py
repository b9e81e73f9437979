"""Who may edit (add articles, decide on candidates, withdraw claims): the signed-in reviewer.

Not a page: the Add-article page calls `editor()`, which draws the sign-in in the sidebar and
returns the identity to record with each change, or None while the page must stay read-only.

- **Identity provider** (OIDC): an `[auth]` section in `.streamlit/secrets.toml` turns on Streamlit's
  `st.login`; the reviewer is the provider's e-mail (or subject). The provider decides who can
  sign in, so restrict its client to the reviewers.
- **Reviewers file** (`python -m geo reviewer add NAME`, `$PANJSHIR_DATA/reviewers.toml`): name and
  password, checked against scrypt hashes (`geo.store.reviewers`). With an identity provider too, it is
  the fallback for when the provider cannot be reached.
- **Neither: local mode.** Anyone at this machine can edit, recorded as the system user. Only a
  browser on this machine gets it: a connection from elsewhere, or through a reverse proxy, is
  read-only until reviewers are configured.
"""

from __future__ import annotations

import getpass

import streamlit as st

from geo.store.reviewers import ReviewerError, check, load_reviewers
from geo.web.html import escape_markdown

_SIGNED_IN = "_signed_in_reviewer"  # no widget has this key, so no browser can set it
# Headers a reverse proxy adds: a request carrying one did not come from a browser on this machine.
_PROXY_HEADERS = ("X-Forwarded-For", "X-Forwarded-Host", "X-Real-Ip", "Forwarded")


def editor() -> str | None:
    """The identity recorded with each change, or None: not signed in, so no editing."""
    try:
        reviewers = load_reviewers()
    except ReviewerError as err:
        st.sidebar.error(f"Editing is off: {escape_markdown(str(err))}")
        return None
    oidc = _oidc_configured()
    if not reviewers and not oidc:
        return _local()
    if oidc and st.user.is_logged_in:
        who = str(st.user.get("email") or st.user.get("sub"))
        st.sidebar.caption(f"Signed in as {escape_markdown(who)}")
        st.sidebar.button("Sign out", on_click=st.logout)
        return who
    name = st.session_state.get(_SIGNED_IN)
    if name is not None:
        st.sidebar.caption(f"Signed in as reviewer {escape_markdown(name)}")
        if st.sidebar.button("Sign out"):
            del st.session_state[_SIGNED_IN]
            st.rerun()
        return str(name)
    st.sidebar.subheader("Reviewer sign-in")
    if oidc:
        st.sidebar.button("Sign in with the identity provider", on_click=st.login)
    if reviewers:
        with st.sidebar.form("sign-in"):
            given = st.text_input("Reviewer name")
            password = st.text_input("Password", type="password")
            if st.form_submit_button("Sign in"):
                name = check(reviewers, given, password)
                if name is None:
                    st.error("Wrong name or password.")
                else:
                    st.session_state[_SIGNED_IN] = name
                    st.rerun()
    return None


def _local() -> str | None:
    # ip_address is None for a browser on this machine, the remote address otherwise (AppTest's
    # stand-in client has neither: it runs here).
    remote = isinstance(st.context.ip_address, str)
    if remote or any(h in st.context.headers for h in _PROXY_HEADERS):
        st.sidebar.warning(
            "Editing is off: this app is reached over the network and no reviewers are configured. "
            "See the README, Deploying."
        )
        return None
    st.sidebar.info("Local mode: anyone at this machine can edit. `python -m geo reviewer add NAME` turns on sign-in.")
    return f"{getpass.getuser()} (local mode)"


def _oidc_configured() -> bool:
    """Whether `.streamlit/secrets.toml` has an `[auth]` section for `st.login`."""
    return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
