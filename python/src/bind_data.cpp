// Data sets as numpy / scipy.sparse arrays over the reader's own buffers (no copies).
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "dataset_views.hpp"
#include "numpy_views.hpp"
#include "signopt/data/dataset.hpp"
#include "signopt/data/idx_reader.hpp"
#include "signopt/data/libsvm_reader.hpp"

namespace signopt::python {

void bind_data(py::module_& m) {
  m.def(
      "read_libsvm",
      [](const std::string& path, std::optional<Index> features) {
        LibsvmOptions options;
        options.num_features = features;
        Dataset data;
        {
          py::gil_scoped_release release;
          data = read_libsvm(path, options);
        }
        return dataset_to_python(std::make_shared<const Dataset>(std::move(data)));
      },
      py::arg("path"), py::arg("features") = py::none(),
      "Reads a LIBSVM file: {'X': scipy.sparse.csr_matrix (float64, int64 indices), 'y': int32 "
      "labels (±1 for binary tasks, class ids 0..K-1 otherwise), 'binary', 'num_classes', "
      "'class_values', 'source'}. The arrays share the reader's memory (no copy).");
  m.def(
      "read_idx",
      [](const std::string& images, const std::string& labels, int num_classes) {
        Dataset data;
        {
          py::gil_scoped_release release;
          data = read_idx_dataset(images, labels, num_classes);
        }
        return dataset_to_python(std::make_shared<const Dataset>(std::move(data)));
      },
      py::arg("images"), py::arg("labels"), py::arg("num_classes") = kIdxDefaultClasses,
      "Reads an IDX image file and its label file (gzip or not): {'X': float64 ndarray n x pixels "
      "in [0, 1], 'y': int32 class ids, ...}, sharing the reader's memory.");
  m.def(
      "read_fashion_mnist",
      [](const std::string& part, const std::string& directory) {
        Dataset data;
        {
          py::gil_scoped_release release;
          data = read_fashion_mnist(part, directory);
        }
        return dataset_to_python(std::make_shared<const Dataset>(std::move(data)));
      },
      py::arg("part") = "train", py::arg("directory") = kFashionMnistDir,
      "Fashion-MNIST ('train' or 'test') from the Debian package dataset-fashion-mnist.");
}

}  // namespace signopt::python
