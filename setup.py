"""Build step that pyproject.toml cannot say: ship the trained models (and the training
settings) inside the wheel.

The models live in the repository's top-level ``models/`` (not a Python package), so
package data cannot list them.  Building copies them to ``nlp/_models`` (and ``configs/``
to ``nlp/_configs``) in the build tree; ``nlp.persist.shipped_models_dir`` finds them there
after ``pip install .``, and in ``models/`` in a source checkout.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = {"models": "_models", "configs": "_configs"}  # repository folder → inside nlp/


class BuildWithModels(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout
            return
        for folder, inside in SHIPPED.items():
            target = Path(self.build_lib) / "nlp" / inside
            shutil.rmtree(target, ignore_errors=True)
            if (ROOT / folder).is_dir():
                shutil.copytree(ROOT / folder, target, ignore=shutil.ignore_patterns(".*", "__pycache__"))


setup(cmdclass={"build_py": BuildWithModels})
