"""Reading lists of records from YAML with the line each record starts on, for error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from geo.errors import GeoError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, error: type[GeoError]) -> tuple[Any, yaml.Node | None]:
    """The parsed document and its node tree; unreadable files raise `error` naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.load(text, Loader=_Loader), yaml.compose(text, Loader=_Loader)
    except FileNotFoundError as err:
        raise error("file not found", path=path) from err
    except UnicodeDecodeError as err:
        raise error(f"not UTF-8 text ({err.reason}); save the file as UTF-8", path=path) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise error(f"not valid YAML: {getattr(err, 'problem', err)}", path=path, line=line) from err


def field_errors(err: ValidationError) -> list[str]:
    """One 'field.path: what is wrong' line per error pydantic found in a record."""
    return [f"{'.'.join(str(x) for x in e['loc']) or 'record'}: {e['msg']}" for e in err.errors()]


def read_records(path: Path, error: type[GeoError], what: str = "records") -> list[tuple[int, Any]]:
    """(line, record) for each item of a YAML list; an empty file is an empty list."""
    data, node = read_yaml(path, error)
    if data is None:
        return []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        raise error(f"expected a list of {what} (each item starting with '- ')", path=path, line=1)
    return [(item.start_mark.line + 1, raw) for item, raw in zip(node.value, data, strict=True)]
