#pragma once
// A data set as Python sees it: {"X": ndarray or scipy.sparse.csr_matrix, "y": int32 labels,
// "binary", "num_classes", "class_values", "source"}. Every array shares the data set's memory
// (no copy) and keeps it alive.
#include <memory>

#include "numpy_views.hpp"
#include "signopt/data/dataset.hpp"

namespace signopt::python {

inline py::dict dataset_to_python(std::shared_ptr<const Dataset> data) {
  if (data->is_sparse() && !data->sparse().isCompressed()) {
    // scipy needs the compressed (CSR) layout: compress a copy (the readers' output already is).
    auto copy = std::make_shared<Dataset>(*data);
    std::get<SparseMatrix>(copy->features).makeCompressed();
    data = std::move(copy);
  }
  py::dict out;
  const auto rows = static_cast<py::ssize_t>(data->rows());
  const auto cols = static_cast<py::ssize_t>(data->cols());
  if (data->is_sparse()) {
    const SparseMatrix& m = data->sparse();
    const auto nnz = static_cast<py::ssize_t>(m.nonZeros());
    auto values = view<double>(m.valuePtr(), {nnz}, data);
    auto indices = view<std::int64_t>(m.innerIndexPtr(), {nnz}, data);
    auto indptr = view<std::int64_t>(m.outerIndexPtr(), {rows + 1}, data);
    // scipy's constructor would copy int64 indices that fit into int32: build an empty matrix of
    // the shape and hand it the three arrays (a valid CSR triple: sorted, in range).
    auto csr = py::module_::import("scipy.sparse").attr("csr_matrix");
    py::object X = csr(py::make_tuple(rows, cols), py::arg("dtype") = py::dtype::of<double>());
    X.attr("data") = values;
    X.attr("indices") = indices;
    X.attr("indptr") = indptr;
    out["X"] = X;
  } else {
    out["X"] = view<double>(data->dense().data(), {rows, cols}, data);
  }
  out["y"] = view<int>(data->labels.data(), {static_cast<py::ssize_t>(data->labels.size())}, data);
  out["binary"] = data->label_kind == LabelKind::Binary;
  out["num_classes"] = data->num_classes;
  out["class_values"] = py::cast(data->class_values);
  out["source"] = data->source;
  return out;
}

}  // namespace signopt::python
