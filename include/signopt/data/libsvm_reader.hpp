#pragma once
// LIBSVM / svmlight text format: one sample per line,
//   <label> <index>:<value> <index>:<value> ...   # optional comment
// Indices are 1-based and strictly increasing within a line. Blank lines and lines that are only
// a comment are skipped. Labels: exactly two distinct values in {−1,+1}, {0,1} or {1,2} make a
// binary task (mapped to ±1, the smaller value to −1); any other set of integer labels makes a
// multi-class task (class ids 0..K−1 in increasing label order). Anything malformed is an
// Error naming file, line and column; the reader never returns a partial data set.
#include <filesystem>
#include <optional>
#include <string_view>

#include "signopt/data/dataset.hpp"

namespace signopt {

// The largest dimension d a LIBSVM file may give (2^24 = 16 777 216 features): every run holds
// several dense vectors of length d (iterate, gradient, optimizer state), 128 MiB each at the
// limit. A larger feature index, or --features, is an Error naming the file, line and column.
inline constexpr Index kMaxLibsvmFeatures = Index{1} << 24;
// The largest feature value in magnitude: 1e300 squared overflows to ∞.
inline constexpr double kMaxLibsvmValue = 1e100;

struct LibsvmOptions {
  // Fix the dimension d (the data may use fewer features; an index above it is an error).
  std::optional<Index> num_features;
  Index max_features = kMaxLibsvmFeatures;
};

Dataset read_libsvm(const std::filesystem::path& path, const LibsvmOptions& options = {});
// Parses text already in memory; `source` names it in error messages.
Dataset parse_libsvm(std::string_view text, const std::string& source,
                     const LibsvmOptions& options = {});

}  // namespace signopt
