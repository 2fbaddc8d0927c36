#include "signopt/data/libsvm_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

struct Cursor {
  const std::string& source;
  std::size_t line = 0;  // 1-based

  [[noreturn]] void error(std::size_t column, const std::string& what) const {
    fail("{}:{}:{}: {}", source, line, column, what);
  }
};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Parses a whole token as a finite double; accepts a leading '+'.
bool parse_double(std::string_view token, double& out) {
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  if (token.empty()) return false;
  const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), out);
  return ec == std::errc() && ptr == token.data() + token.size();
}

}  // namespace

Dataset parse_libsvm(std::string_view text, const std::string& source,
                     const LibsvmOptions& options) {
  if (options.num_features) {
    require(*options.num_features >= 1, "--features must be at least 1, got {}",
            *options.num_features);
    require(*options.num_features <= options.max_features,
            "{}: {} features exceed the limit of {} (a dense vector of that length takes {} MiB)", source,
            *options.num_features, options.max_features, options.max_features / (1 << 17));
  }
  Cursor cur{source};
  std::vector<double> raw_labels;
  std::vector<std::int64_t> row_ptr{0};
  std::vector<std::int64_t> col_idx;
  std::vector<double> values;
  std::int64_t max_index = 0;
  // A LIBSVM entry takes at least 4 characters ("1:1 "): reserve for about that many.
  col_idx.reserve(text.size() / 6);
  values.reserve(text.size() / 6);

  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++cur.line;
    pos = end + 1;
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);

    std::size_t i = 0;
    bool have_label = false;
    std::int64_t previous_index = 0;
    while (true) {
      while (i < line.size() && is_blank(line[i])) ++i;
      if (i >= line.size()) break;
      const std::size_t start = i;
      while (i < line.size() && !is_blank(line[i])) ++i;
      const std::string_view token = line.substr(start, i - start);
      const std::size_t column = start + 1;
      if (!have_label) {
        double label = 0;
        if (!parse_double(token, label)) {
          cur.error(column, fmt::format("label '{}' is not a number", token));
        }
        if (!std::isfinite(label)) cur.error(column, fmt::format("label '{}' is not finite", token));
        if (label != std::floor(label)) {
          cur.error(column, fmt::format("label '{}' is not an integer class label", token));
        }
        raw_labels.push_back(label);
        have_label = true;
        continue;
      }
      const auto colon = token.find(':');
      if (colon == std::string_view::npos) {
        cur.error(column, fmt::format("expected index:value, found '{}'", token));
      }
      const std::string_view index_text = token.substr(0, colon);
      const std::string_view value_text = token.substr(colon + 1);
      std::int64_t index = 0;
      const auto [iptr, iec] =
          std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
      if (index_text.empty() || iec != std::errc() || iptr != index_text.data() + index_text.size()) {
        cur.error(column, fmt::format("feature index '{}' is not an integer", index_text));
      }
      if (index < 1) {
        cur.error(column, fmt::format("feature index {} is invalid: indices are 1-based (≥ 1)", index));
      }
      if (index == previous_index) cur.error(column, fmt::format("duplicate feature index {}", index));
      if (index < previous_index) {
        cur.error(column, fmt::format("feature index {} after {}: indices must increase", index,
                                      previous_index));
      }
      if (index > options.max_features) {
        cur.error(column, fmt::format("feature index {} exceeds the limit of {} features (a dense vector "
                                      "of that length takes {} MiB, and every run holds several)",
                                      index_text, options.max_features, options.max_features / (1 << 17)));
      }
      if (options.num_features && index > *options.num_features) {
        cur.error(column, fmt::format("feature index {} exceeds the declared {} features", index,
                                      *options.num_features));
      }
      double value = 0;
      if (!parse_double(value_text, value)) {
        cur.error(column + colon + 1, fmt::format("feature value '{}' is not a number", value_text));
      }
      if (!std::isfinite(value)) {
        cur.error(column + colon + 1, fmt::format("feature value '{}' is not finite", value_text));
      }
      if (std::abs(value) > kMaxLibsvmValue) {
        cur.error(column + colon + 1,
                  fmt::format("feature value '{}' exceeds the limit of ±1e100 in magnitude (squared, as "
                              "the smoothness constants and the loss need it, it would overflow)",
                              value_text));
      }
      previous_index = index;
      max_index = std::max(max_index, index);
      col_idx.push_back(index - 1);
      values.push_back(value);
    }
    if (have_label) row_ptr.push_back(static_cast<std::int64_t>(col_idx.size()));
    if (end == text.size()) break;
  }
  if (raw_labels.empty()) fail("{}: contains no samples", source);

  Dataset data;
  data.source = source;
  const auto n = static_cast<Index>(raw_labels.size());
  const Index d = options.num_features ? *options.num_features : static_cast<Index>(max_index);
  require(d >= 1, "{}: no feature index appears in the file (pass --features to set d)", source);

  SparseMatrix a(n, d);
  a.resizeNonZeros(static_cast<Index>(values.size()));
  std::copy(row_ptr.begin(), row_ptr.end(), a.outerIndexPtr());
  std::copy(col_idx.begin(), col_idx.end(), a.innerIndexPtr());
  std::copy(values.begin(), values.end(), a.valuePtr());
  data.features = std::move(a);

  std::vector<double> distinct(raw_labels);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  data.labels.resize(n);
  const bool binary =
      distinct.size() == 2 && ((distinct[0] == -1 && distinct[1] == 1) ||
                               (distinct[0] == 0 && distinct[1] == 1) ||
                               (distinct[0] == 1 && distinct[1] == 2));
  data.class_values = distinct;
  if (binary) {
    data.label_kind = LabelKind::Binary;
    data.num_classes = 2;
    for (Index i = 0; i < n; ++i) data.labels[i] = raw_labels[static_cast<std::size_t>(i)] == distinct[0] ? -1 : 1;
  } else {
    data.label_kind = LabelKind::MultiClass;
    data.num_classes = static_cast<int>(distinct.size());
    for (Index i = 0; i < n; ++i) {
      const auto it = std::lower_bound(distinct.begin(), distinct.end(), raw_labels[static_cast<std::size_t>(i)]);
      data.labels[i] = static_cast<int>(it - distinct.begin());
    }
  }
  return data;
}

Dataset read_libsvm(const std::filesystem::path& path, const LibsvmOptions& options) {
  std::error_code ec;
  require(std::filesystem::exists(path, ec), "{}: no such file", path.string());
  require(!std::filesystem::is_directory(path, ec), "{}: is a directory, not a data file",
          path.string());
  // A FIFO or device would block or never end: only regular files are read.
  require(std::filesystem::is_regular_file(path, ec), "{}: not a regular file (a FIFO, device or socket)",
          path.string());
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  require(static_cast<bool>(in), "{}: cannot open for reading", path.string());
  std::string text(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  require(!in.bad() && in.gcount() == static_cast<std::streamsize>(text.size()), "{}: read error",
          path.string());
  require(!text.empty(), "{}: file is empty", path.string());
  return parse_libsvm(text, path.string(), options);
}

}  // namespace signopt
