"""Who may edit: with reviewers configured, the Add-article page is read-only until a reviewer signs
in, and each change is recorded as the signed-in reviewer's; without, local mode says so.

Passwords are checked against scrypt hashes in `$PANJSHIR_DATA/reviewers.toml`, written by
`python -m geo reviewer add NAME`."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.store.database import Store
from geo.store.reviewers import ReviewerError, add_reviewer, check, load_reviewers
from tests.conftest import ROOT, button, decide_all, published

INGEST_PAGE = str(ROOT / "views" / "ingest.py")
ARTICLE = "The Taliban captured Bazarak on Friday, a Taliban source said."
PASSWORD = "correct horse battery staple"


def reviewer_cli(*args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", "reviewer", *args],
        input=password,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.sidebar.text_input[0].input(name)
    at.sidebar.text_input[1].input(password)
    return at.sidebar.button[0].click().run()


def test_with_reviewers_the_page_is_read_only_until_signed_in_and_records_who(app_data: Path) -> None:
    out = reviewer_cli("add", "amina", "--password-stdin", password=PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    at = AppTest.from_file(INGEST_PAGE, default_timeout=120).run()
    assert not at.exception
    assert at.info[0].value.startswith("Read-only: adding articles")
    assert not at.tabs and not at.text_area and not at.main.button  # nothing to edit with

    at = sign_in(at, "amina", "not the password")
    assert "Wrong name or password." in [e.value for e in at.error]
    assert not at.tabs and not at.main.button

    at = sign_in(at, "amina", PASSWORD)
    assert not at.exception and len(at.tabs) == 3
    assert "Signed in as reviewer amina" in [c.value for c in at.sidebar.caption]
    at.text_area[0].input(ARTICLE).run()
    button(at, "Find places and claims").click().run()
    published(at).set_value(dt.date(2021, 9, 4)).run()
    decide_all(at, "accept")
    button(at, "Save to the store").click().run()
    assert at.success and "1 claims on the map" in at.success[0].value

    store = Store(app_data / "claims.sqlite", read_only=True)
    (saved,) = [c for c in store.claims(statuses=["accepted", "edited"]) if c["id"].startswith("x-")]
    assert saved["updated_by"] == "amina"
    assert [e["by"] for e in store.history(saved["id"])] == ["amina"]


def test_without_reviewers_local_mode_says_anyone_here_can_edit(app_data: Path) -> None:
    at = AppTest.from_file(INGEST_PAGE, default_timeout=120).run()
    assert not at.exception and len(at.tabs) == 3
    assert at.sidebar.info[0].value.startswith("Local mode: anyone at this machine can edit")
    assert not at.sidebar.text_input  # no free-text "Reviewer" field to claim a name with


def test_reviewer_cli_writes_hashes_only_outside_the_repository(app_data: Path) -> None:
    out = reviewer_cli("add", "amina", "--password-stdin", password=PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    path = app_data / "reviewers.toml"
    text = path.read_text()
    assert PASSWORD not in text and "[reviewers.amina]" in text and 'hash = "scrypt$17$8$1$' in text
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert reviewer_cli("list").stdout.split() == ["amina"]
    reviewers = load_reviewers(path)
    assert check(reviewers, "Amina", PASSWORD) == "amina"
    assert check(reviewers, "amina", PASSWORD + "!") is None
    assert check(reviewers, "nobody", PASSWORD) is None
    assert reviewer_cli("remove", "amina").returncode == 0
    assert load_reviewers(path) == {}


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("amina", "short", r"too short: use at least 12 characters"),
        ("Amina Q", PASSWORD, r"reviewer name 'Amina Q' is not usable"),
    ],
)
def test_unusable_names_and_passwords_are_refused(app_data: Path, name: str, password: str, message: str) -> None:
    with pytest.raises(ReviewerError, match=message):
        add_reviewer(name, password)
    assert not (app_data / "reviewers.toml").exists()
    out = reviewer_cli("add", name, "--password-stdin", password=password + "\n")
    assert out.returncode == 2 and "error:" in out.stderr


def test_a_damaged_reviewers_file_names_itself_and_the_fix(app_data: Path) -> None:
    (app_data / "reviewers.toml").write_text('[reviewers.amina]\nhash = "plain-text-password"\n')
    with pytest.raises(ReviewerError, match=r"reviewers\.toml: reviewer 'amina' has no scrypt hash; set one with"):
        load_reviewers()
    at = AppTest.from_file(INGEST_PAGE, default_timeout=120).run()
    assert not at.exception and not at.tabs  # a broken file closes editing, it does not open it
    assert at.sidebar.error[0].value.startswith("Editing is off:")
