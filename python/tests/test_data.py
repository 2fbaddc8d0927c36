"""Data sets as numpy / scipy.sparse arrays sharing the readers' memory."""
import gzip
import struct

import numpy as np
import pytest
import scipy.sparse

import signopt
from conftest import MUSHROOMS


def test_libsvm_is_csr_without_copies(tmp_path):
    path = tmp_path / "small.libsvm"
    path.write_text("+1 1:0.5 3:2\n-1 2:1.5\n+1 1:1 2:2 3:3\n")
    data = signopt.read_libsvm(str(path))
    X, y = data["X"], data["y"]
    assert scipy.sparse.isspmatrix_csr(X)
    assert X.shape == (3, 3)
    np.testing.assert_array_equal(X.toarray(), [[0.5, 0, 2], [0, 1.5, 0], [1, 2, 3]])
    np.testing.assert_array_equal(y, [1, -1, 1])
    assert y.dtype == np.int32 and X.dtype == np.float64
    assert data["binary"] and data["num_classes"] == 2
    # The arrays are views of the reader's buffers, read-only, kept alive by numpy.
    # (a copy would be writeable: scipy and numpy copy into new, writeable arrays).
    for a in (X.data, X.indices, X.indptr, y):
        assert not a.flags.writeable
    assert X.indices.dtype == np.int64 and X.indptr.dtype == np.int64
    # scipy works on the shared arrays.
    np.testing.assert_allclose(X @ np.ones(3), [2.5, 1.5, 6.0])
    np.testing.assert_allclose(X.T @ np.ones(3), [1.5, 3.5, 5.0])


def test_libsvm_features_fixes_d_and_errors_name_the_line(tmp_path):
    path = tmp_path / "bad.libsvm"
    path.write_text("+1 1:0.5\n-1 2:x\n")
    with pytest.raises(signopt.Error, match=r"bad.libsvm:2"):
        signopt.read_libsvm(str(path))
    good = tmp_path / "good.libsvm"
    good.write_text("+1 1:0.5\n-1 2:1\n")
    assert signopt.read_libsvm(str(good), features=10)["X"].shape == (2, 10)
    assert issubclass(signopt.Error, ValueError)


def test_mushrooms_has_the_known_shape():
    data = signopt.read_libsvm(MUSHROOMS)
    assert data["X"].shape == (8124, 112)
    assert set(np.unique(data["y"])) == {-1, 1}


def idx_file(path, magic, dims, payload):
    with gzip.open(path, "wb") as f:
        f.write(struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + bytes(payload))


def test_idx_images_are_dense_pixels_in_unit_interval(tmp_path):
    images, labels = tmp_path / "img.gz", tmp_path / "lab.gz"
    idx_file(images, 0x803, [2, 2, 2], [0, 255, 51, 102, 1, 2, 3, 4])
    idx_file(labels, 0x801, [2], [3, 7])
    data = signopt.read_idx(str(images), str(labels))
    np.testing.assert_allclose(data["X"][0], [0, 1, 0.2, 0.4])
    np.testing.assert_array_equal(data["y"], [3, 7])
    assert isinstance(data["X"], np.ndarray) and data["X"].base is not None
