"""The browser code lives in .js files, each valid JavaScript, and not in Python strings.

What the code does is exercised by the browser tests (tests/test_browser*.py); these check what
they cannot: a file that would not even parse, and code slipping back into a Python string,
where no checker reads it.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

NODE = "/usr/bin/node"
#: The folders whose browser code ships or is served: the library and the pages.
FOLDERS = ("geo", "views")
SCRIPTS = sorted(path for folder in FOLDERS for path in (ROOT / folder).rglob("*.js"))
#: A string literal of more lines than this that reads as JavaScript belongs in a .js file.
LONGEST = 10
JAVASCRIPT = re.compile(r"\bfunction\s*\w*\s*\(|=>\s*[{(]|addEventListener\(")


def node_check(text: str, *, module: bool) -> subprocess.CompletedProcess[str]:
    """`node --check` on `text`, read as an ES module or as a classic script. Given on standard
    input with its kind stated: `node --check file.js` on Node 20 passes an ES module whatever
    its syntax errors, and takes a classic script with `export` in it for one."""
    kind = "module" if module else "commonjs"
    return subprocess.run(
        [NODE, "--check", f"--input-type={kind}"], input=text, capture_output=True, text=True, timeout=60
    )


def is_module(text: str) -> bool:
    """An ES module (Streamlit's components v2 take one), not a script put into a map's page."""
    return re.search(r"^export ", text, re.M) is not None


def test_the_checker_refuses_broken_code() -> None:
    assert node_check("export default function (c) { return 1 +; }", module=True).returncode != 0
    assert node_check("var x = {;", module=False).returncode != 0
    assert node_check("export default function (c) { return 1; }", module=False).returncode != 0
    assert node_check("export default function (c) { return 1; }", module=True).returncode == 0


def test_there_is_browser_code_to_check() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in SCRIPTS}
    assert {"geo/web/js/drawn-items.js", "geo/web/js/day-steps.js", "views/filters.js"} <= names, names


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_browser_code_parses(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    out = node_check(text, module=is_module(text))
    assert out.returncode == 0, out.stderr
    # A map's code goes into a <script> as it is (`geo.web.mapelements.MapCode`).
    assert "</script" not in text.lower() and "<!--" not in text


def long_javascript(source: str) -> list[int]:
    """The lines where a string literal of over `LONGEST` lines that reads as JavaScript starts."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if node.value.count("\n") >= LONGEST and JAVASCRIPT.search(node.value)
    ]


def test_the_detector_finds_javascript_in_a_string() -> None:
    script = "\n".join(["(function () {", *["    var x = 1;"] * LONGEST, "})();"])
    assert long_javascript(f"JS = {script!r}\nOTHER = 'function (x) {{ return x; }}'\n") == [1]
    docstring = "A docstring that names `window.daySteps.filter`.\n" * (LONGEST + 2)
    assert long_javascript(f'"""{docstring}"""') == []


@pytest.mark.parametrize("folder", FOLDERS)
def test_no_python_file_holds_long_javascript(folder: str) -> None:
    found = {
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line in long_javascript(path.read_text(encoding="utf-8"))
    }
    assert not found, f"browser code in Python strings, to move into a .js file: {sorted(found)}"
