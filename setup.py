"""Build step that pyproject.toml cannot say: ship the trained models inside the wheel.

The models live in the repository's top-level ``models/`` (not a Python package), so
package data cannot list them.  Building copies them to ``nlp/_models`` in the build
tree; ``nlp.persist.shipped_models_dir`` finds them there after ``pip install .``, and
in ``models/`` in a source checkout.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MODELS = Path(__file__).resolve().parent / "models"


class BuildWithModels(build_py):
    def run(self):
        super().run()
        if MODELS.is_dir() and not self.editable_mode:
            target = Path(self.build_lib) / "nlp" / "_models"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(MODELS, target, ignore=shutil.ignore_patterns(".*", "__pycache__"))


setup(cmdclass={"build_py": BuildWithModels})
