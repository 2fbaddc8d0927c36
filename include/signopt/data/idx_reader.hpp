#pragma once
// IDX files (the MNIST / Fashion-MNIST format), optionally gzip-compressed (read with zlib).
// Images (magic 0x00000803, unsigned bytes) become a dense n×(rows·cols) matrix with pixels
// scaled to [0, 1]; labels (magic 0x00000801) become class ids.
#include <filesystem>
#include <vector>

#include "signopt/data/dataset.hpp"

namespace signopt {

// Raw bytes of a file, gunzipped when it is gzip-compressed (by magic, not by name).
std::vector<unsigned char> read_maybe_gzip(const std::filesystem::path& path);

RowMatrix read_idx_images(const std::filesystem::path& path);
Eigen::VectorXi read_idx_labels(const std::filesystem::path& path);

// A multi-class data set from an image file and a label file of the same length.
Dataset read_idx_dataset(const std::filesystem::path& images, const std::filesystem::path& labels);

// Fashion-MNIST from the Debian package dataset-fashion-mnist, or from `directory`.
// part is "train" (60000 images) or "test" (10000).
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
Dataset read_fashion_mnist(const std::string& part,
                           const std::filesystem::path& directory = kFashionMnistDir);

}  // namespace signopt
