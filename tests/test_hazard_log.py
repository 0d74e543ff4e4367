"""Issue 16 item 16: every control in docs/safety/hazard-log.md names a test that exists.

Test ids are read from the log (backticked pytest node ids) and checked by parsing the
test files with `ast`: the file must exist and define the test function (at module
level or in a class); a parametrised id must match one of the literal `ids=` or, for
vignette tables, a case name written in the test module or the module it imports the
table from. This is quicker than a pytest collection of the whole suite and needs no
database."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "docs" / "safety" / "hazard-log.md"
NODE = re.compile(r"`((?:endospine|tests)/[\w/]+\.py::[\w]+(?:\[[^\]`]+\])?)`")
HAZARD = re.compile(r"^### (H\d+) ", re.MULTILINE)


def _hazards() -> dict[str, str]:
    text = LOG.read_text(encoding="utf-8")
    starts = [(m.group(1), m.start()) for m in HAZARD.finditer(text)]
    ends = [s for _, s in starts[1:]] + [len(text)]
    return {hid: text[start:end] for (hid, start), end in zip(starts, ends, strict=True)}


def _functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _param_known(path: Path, param: str) -> bool:
    """The parameter id is written as a string somewhere in the test module or in a
    module of this project it imports (vignette tables live beside the tests)."""
    sources = [path]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("endospine"):
            candidate = ROOT / (node.module.replace(".", "/") + ".py")
            if candidate.is_file():
                sources.append(candidate)
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value == param:
                return True
            # f-strings such as f"NICE NG59 red flag {flag}" with a literal tuple of values
            if isinstance(node, ast.JoinedStr) and _fstring_matches(node, param, source):
                return True
    return False


def _fstring_matches(node: ast.JoinedStr, param: str, source: Path) -> bool:
    prefix = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if not param.startswith(prefix):
        return False
    return f'"{param[len(prefix) :]}"' in source.read_text(encoding="utf-8")


def problems_of(node_id: str) -> str | None:
    file_part, _, test_part = node_id.partition("::")
    name, _, param = test_part.partition("[")
    path = ROOT / file_part
    if not path.is_file():
        return f"{node_id}: no file {file_part}"
    if name not in _functions(path):
        return f"{node_id}: no test {name} in {file_part}"
    if param and not _param_known(path, param.rstrip("]")):
        return f"{node_id}: no case {param.rstrip(']')!r} for {name}"
    return None


def test_the_log_has_at_least_20_hazards_each_with_a_tested_control() -> None:
    hazards = _hazards()
    assert len(hazards) >= 20
    for hid, body in hazards.items():
        assert "Controls:" in body and NODE.search(body), f"{hid} has no tested control"
        for field in ("Cause:", "Effect:", "Severity"):
            assert field in body, f"{hid} lacks {field}"


def test_every_named_test_exists() -> None:
    found = [
        p
        for node_id in NODE.findall(LOG.read_text(encoding="utf-8"))
        if (p := problems_of(node_id))
    ]
    assert found == []


def test_a_missing_test_is_caught() -> None:
    assert problems_of("tests/test_hazard_log.py::test_every_named_test_exists") is None
    assert problems_of("tests/test_hazard_log.py::test_that_does_not_exist") is not None
    assert problems_of("tests/no_such_file.py::test_x") is not None
    vignette = "endospine/recover/tests/test_engine_safety.py::test_vignette[no such case]"
    assert problems_of(vignette) is not None
