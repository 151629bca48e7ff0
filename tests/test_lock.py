"""The locked environment: requirements.in (the direct list people edit) and requirements.txt
(the lock `make lock` generates from it, which make, .ci/run and Binder install) agree, and the
environment the tests run in is the lock."""
from __future__ import annotations

import re
from importlib import metadata

from conftest import REPO

PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def direct() -> tuple[dict[str, str], list[str]]:
    """requirements.in: {package: pinned version}, and the other lines (`-e .`)."""
    pins, other = {}, []
    for line in (REPO / "requirements.in").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        m = PIN.fullmatch(line)
        if m:
            pins[_name(m[1])] = m[2]
        else:
            other.append(line)
    return pins, other


def lock() -> tuple[dict[str, str], list[str], dict[str, set[str]]]:
    """requirements.txt: {package: version}, the other requirement lines, and for each entry
    what requires it (the `# via` annotations the lock tool writes)."""
    pins, other, via, current = {}, [], {}, None
    for raw in (REPO / "requirements.txt").read_text().splitlines():
        line = raw.strip()
        if not line:
            continue
        if not raw.startswith((" ", "#")):
            m = PIN.fullmatch(line.split(";")[0].strip())
            current = _name(m[1]) if m else line
            if m:
                pins[current] = m[2]
            else:
                other.append(line)
            via[current] = set()
        elif current is not None and line.startswith("#"):
            text = line.lstrip("#").strip()
            if text.startswith("via"):
                text = text[3:].strip()
            if text:
                via[current].add(text if text.startswith("-") else _name(text))
    return pins, other, via


def test_every_direct_pin_is_in_the_lock_at_the_same_version():
    want, want_other = direct()
    have, have_other, _ = lock()
    wrong = {p: (v, have.get(p)) for p, v in want.items() if have.get(p) != v}
    assert not wrong, f"requirements.in and requirements.txt disagree (in, lock): {wrong}; run `make lock`"
    assert want_other == have_other == ["-e ."], (want_other, have_other)


def test_every_locked_package_is_required():
    """Each entry of the lock is reachable from requirements.in through what requires it."""
    want, _ = direct()
    have, _, via = lock()
    for package, parents in via.items():
        assert parents, f"requirements.txt: nothing requires {package}"
        if "-r requirements.in" in parents and package in have:
            assert package in want, f"the lock says requirements.in asks for {package}; it does not (run `make lock`)"
    reached, todo = set(), [p for p, parents in via.items() if "-r requirements.in" in parents]
    while todo:
        p = todo.pop()
        if p not in reached:
            reached.add(p)
            todo += [c for c, parents in via.items() if p in parents]
    assert set(via) == reached, f"in the lock but required by nothing in it: {sorted(set(via) - reached)}"


def test_the_environment_is_the_lock():
    """The environment running the tests has every locked package at the locked version."""
    have, _, _ = lock()
    installed = {_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    differ = {p: (v, installed.get(p)) for p, v in have.items() if installed.get(p) != v}
    assert not differ, f"installed versions differ from the lock (lock, installed): {differ}; run `make venv`"
    assert metadata.version("kbook"), "the book's package is not installed (`-e .`)"
