"""The suite runs from the repository root (ctest's working directory) with PYTHONPATH=build/python."""
import os

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MUSHROOMS = os.path.join(REPO, "data", "mushrooms.libsvm")


@pytest.fixture
def repo():
    return REPO
