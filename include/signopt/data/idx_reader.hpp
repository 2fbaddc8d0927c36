#pragma once
// IDX files (the MNIST / Fashion-MNIST format), optionally gzip-compressed (read with zlib).
// Images (magic 0x00000803, unsigned bytes) become a dense n×(rows·cols) matrix with pixels
// scaled to [0, 1]; labels (magic 0x00000801) become class ids.
#include <filesystem>
#include <vector>

#include "signopt/data/dataset.hpp"

namespace signopt {

// The most data an IDX file may hold (256 MiB, over 5 times Fashion-MNIST's 47 MB; read as
// doubles, 2 GiB). The header's
// dimensions (each ≥ 1, their product computed without overflow) are checked against it before
// anything is allocated, and a compressed file is inflated only up to the size its header
// promises.
inline constexpr std::size_t kMaxIdxPayloadBytes = std::size_t{1} << 28;

// Raw bytes of a file, gunzipped when it is gzip-compressed (by magic, not by name); a stream
// that inflates to more than `limit` bytes is an Error.
std::vector<unsigned char> read_maybe_gzip(const std::filesystem::path& path,
                                           std::size_t limit = kMaxIdxPayloadBytes);

// The classes of MNIST and Fashion-MNIST: a label outside 0..num_classes−1 is an Error naming
// the file and byte (an IDX label file does not declare its classes).
inline constexpr int kIdxDefaultClasses = 10;

RowMatrix read_idx_images(const std::filesystem::path& path);
Eigen::VectorXi read_idx_labels(const std::filesystem::path& path, int num_classes = kIdxDefaultClasses);

// A data set of num_classes classes from an image file and a label file of the same length.
Dataset read_idx_dataset(const std::filesystem::path& images, const std::filesystem::path& labels,
                         int num_classes = kIdxDefaultClasses);

// Fashion-MNIST from the Debian package dataset-fashion-mnist, or from `directory`.
// part is "train" (60000 images) or "test" (10000).
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
Dataset read_fashion_mnist(const std::string& part,
                           const std::filesystem::path& directory = kFashionMnistDir);

}  // namespace signopt
