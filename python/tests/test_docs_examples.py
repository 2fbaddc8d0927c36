"""The Python examples of docs/python.md and README.md run as written (each file's blocks in
order, in one namespace, from a scratch directory that sees the repository's data and configs)."""
import os
import re

import matplotlib
import pytest

from conftest import REPO

matplotlib.use("Agg")


def python_blocks(path):
    with open(path, encoding="utf-8") as f:
        return re.findall(r"```python\n(.*?)```", f.read(), flags=re.S)


@pytest.mark.parametrize("doc", ["docs/python.md", "docs/pytorch.md", "README.md"])
def test_examples_run(doc, tmp_path, monkeypatch):
    blocks = python_blocks(os.path.join(REPO, doc))
    assert blocks, f"{doc} has no python examples"
    for name in ("data", "configs"):
        os.symlink(os.path.join(REPO, name), tmp_path / name)
    monkeypatch.chdir(tmp_path)
    namespace = {}
    for i, block in enumerate(blocks):
        exec(compile(block, f"{doc} block {i + 1}", "exec"), namespace)
