"""requirements.lock (what `make setup` installs, hash-checked) agrees with pyproject.toml: every
dependency is pinned there at a version its range admits. After changing a dependency, run
`make lock`."""

from __future__ import annotations

import re
import tomllib

from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version


def locked() -> dict[str, Version]:
    text = (settings.PROJECT_DIR / "requirements.lock").read_text()
    return {
        canonicalize_name(name): Version(version)
        for name, version in re.findall(r"(?m)^([A-Za-z0-9_.-]+)==(\S+)", text)
    }


def test_every_dependency_is_locked_at_a_version_it_admits() -> None:
    project = tomllib.loads((settings.PROJECT_DIR / "pyproject.toml").read_text())["project"]
    pins = locked()
    wrong = []
    for line in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        requirement = Requirement(line)
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None:
            wrong.append(f"{requirement.name} is not in requirements.lock")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            wrong.append(f"{requirement.name}=={pinned} is outside {requirement.specifier}")
    assert not wrong, "Run `make lock`:\n  " + "\n  ".join(wrong)


def test_every_locked_package_carries_hashes() -> None:
    text = (settings.PROJECT_DIR / "requirements.lock").read_text()
    entries = re.split(r"(?m)^(?=[A-Za-z0-9_.-]+==)", text)[1:]
    assert entries
    assert all("--hash=sha256:" in entry for entry in entries)
