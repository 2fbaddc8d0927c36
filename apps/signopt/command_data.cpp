// signopt data info FILE: what is in a LIBSVM file.
#include <fmt/format.h>

#include <memory>

#include "command_registry.hpp"
#include "signopt/data/libsvm_reader.hpp"

namespace signopt::cli {
namespace {

struct DataInfoOptions {
  std::string file;
  long long features = 0;
};

void print_info(const DataInfoOptions& o) {
  LibsvmOptions opts;
  if (o.features > 0) opts.num_features = o.features;
  const Dataset data = read_libsvm(o.file, opts);
  fmt::print("file:        {}\n", o.file);
  fmt::print("rows (n):    {}\n", data.rows());
  fmt::print("features (d): {}\n", data.cols());
  fmt::print("nnz:         {} ({:.2f}% dense, {:.1f} per row)\n", data.nnz(),
             100.0 * static_cast<double>(data.nnz()) / (static_cast<double>(data.rows()) * static_cast<double>(data.cols())),
             static_cast<double>(data.nnz()) / static_cast<double>(data.rows()));
  if (data.label_kind == LabelKind::Binary) {
    const auto positive = (data.labels.array() > 0).count();
    fmt::print("task:        binary (labels {} → −1, {} → +1)\n", data.class_values[0],
               data.class_values[1]);
    fmt::print("labels:      +1: {} ({:.1f}%), −1: {} ({:.1f}%)\n", positive,
               100.0 * static_cast<double>(positive) / static_cast<double>(data.rows()),
               data.rows() - positive,
               100.0 * static_cast<double>(data.rows() - positive) / static_cast<double>(data.rows()));
  } else {
    fmt::print("task:        multi-class, {} classes\n", data.num_classes);
    for (int k = 0; k < data.num_classes; ++k) {
      fmt::print("  class {} (label {}): {}\n", k, data.class_values[static_cast<std::size_t>(k)],
                 (data.labels.array() == k).count());
    }
  }
  fmt::print("R = max‖a_i‖₂: {:.6g}\n", data.max_row_norm());
}

void setup_data(CLI::App& data) {
  data.require_subcommand(1);
  auto opts = std::make_shared<DataInfoOptions>();
  CLI::App* info = data.add_subcommand("info", "Print n, d, nnz, label balance and R of a LIBSVM file");
  info->add_option("file", opts->file, "LIBSVM / svmlight file")->required();
  info->add_option("--features", opts->features, "Fix the number of features d");
  info->callback([opts] { print_info(*opts); });
}

const CommandRegistration registration{
    {"data", "Inspect data sets (LIBSVM files)", setup_data}};

}  // namespace
}  // namespace signopt::cli
