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
  page opened on this machine as `localhost` on the app's own port gets it (`geo.store.access`
  has the rule): any other connection is read-only until reviewers are configured.
"""

from __future__ import annotations

import getpass

import streamlit as st
from streamlit import config
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from geo.store.access import Connection, refusal
from geo.store.reviewers import ReviewerError, load_reviewers
from geo.store.signins import sign_in
from geo.web.html import escape_markdown

_SIGNED_IN = "_signed_in_reviewer"  # no widget has this key, so no browser can set it


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
                # Throttled per client and per name, a few checks at once (geo.store.signins).
                conn = connection()
                attempt = sign_in(reviewers, given, password, client=(conn.peer if conn else None) or "unknown")
                if attempt.name is None:
                    st.error(attempt.refused or "Wrong name or password.")
                else:
                    st.session_state[_SIGNED_IN] = attempt.name
                    st.rerun()
    return None


def _local() -> str | None:
    conn = connection()
    why = refusal(conn) if conn is not None else None
    if conn is not None and why is not None:
        st.sidebar.warning(
            f"Editing is off: {escape_markdown(why)}, and no reviewers are configured. Local mode is only for "
            f"a browser on this machine at http://localhost:{conn.port}; see the README, Deploying."
        )
        return None
    st.sidebar.info("Local mode: anyone at this machine can edit. `python -m geo reviewer add NAME` turns on sign-in.")
    return f"{getpass.getuser()} (local mode)"


def connection() -> Connection | None:
    """The session's connection as its WebSocket handshake had it, or None where no server runs
    the page: AppTest runs it in this process, with a stand-in for Streamlit's runtime. A session
    whose browser has gone has a connection with no address and no headers, so it is refused."""
    port = int(config.get_option("server.port"))
    ctx = get_script_run_ctx()
    runtime = Runtime.instance() if Runtime.exists() else None
    if runtime is not None and type(runtime) is not Runtime:
        return None
    client = runtime.get_client(ctx.session_id) if runtime is not None and ctx is not None else None
    context = client.client_context if client is not None else None
    if context is None:
        return Connection.of(None, [], port)
    return Connection.of(context.remote_ip, context.headers, port)


def _oidc_configured() -> bool:
    """Whether `.streamlit/secrets.toml` has an `[auth]` section for `st.login`."""
    return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
