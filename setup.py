"""Build hook: ship the repository's top-level resources inside the ``kb`` package.

The top-level ``templates/`` and ``practices/`` folders stay the sources of
truth in the repository; a wheel gets a copy of them under ``kb/bundled/``, and
the English catalogue compiled to ``.mo`` (translations are never compiled at
run time by an installed kb). Everything else is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = ("templates", "practices")


def _ignored(_folder: str, names: list[str]) -> list[str]:
    return [name for name in names if name.startswith(".") or name == "__pycache__"]


def compile_catalogues(source: Path, target: Path) -> None:
    """Compile every ``source/*/LC_MESSAGES/*.po`` to ``.mo`` under ``target``."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle)
        with mo.open("wb") as handle:
            write_mo(handle, catalog)


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads the checkout's own folders
        package = Path(self.build_lib) / "kb"
        for name in BUNDLED:
            target = package / "bundled" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(HERE / name, target, ignore=_ignored)
        compile_catalogues(HERE / "kb" / "translations", package / "translations")


setup(cmdclass={"build_py": BuildWithResources})
