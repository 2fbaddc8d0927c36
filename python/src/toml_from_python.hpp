#pragma once
// A Python dict as TOML text, so that signopt.run(dict) goes through the very parser and
// validation a config file does (parse_config): the dict is turned into a toml++ table, written
// out, and parsed. Error messages then name the key (and a line of the written text, shown by
// signopt.config_text(dict)).
//
// dict → table, list of dicts → array of tables ([[method]]), other list → array, bool, int,
// float, str → the TOML value. Anything else (None, objects) is a TypeError naming the key.
#include <pybind11/pybind11.h>

#include <string>

namespace signopt::python {

std::string toml_text_from_dict(const pybind11::dict& config);

}  // namespace signopt::python
