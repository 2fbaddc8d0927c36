#pragma once
// The comma-separated files signopt writes (traces.csv, runs/*.csv): no quoting, since no cell
// can contain a comma (method labels are checked when a config is read), and numbers as
// format_number writes them.
#include <optional>
#include <string_view>
#include <vector>

namespace signopt::experiment {

// The cells of one line; "a,,b" has three cells and "a," two. The views point into `line`.
std::vector<std::string_view> split_csv(std::string_view line);

// A number as format_number writes it ("nan", "inf", "-inf" or what std::from_chars reads),
// or nothing.
std::optional<double> try_parse_number(std::string_view text);

}  // namespace signopt::experiment
