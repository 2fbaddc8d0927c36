#include "toml_from_python.hpp"

#include <toml++/toml.h>
#include <sstream>

namespace signopt::python {
namespace {

namespace py = pybind11;

toml::table to_table(const py::dict& d, const std::string& where);

std::string key_path(const std::string& where, const std::string& key) {
  return where.empty() ? key : where + "." + key;
}

void insert(toml::table& t, const std::string& key, const py::handle& v, const std::string& where);

void append(toml::array& a, const py::handle& v, const std::string& where) {
  // bool before int: Python's bool is an int.
  if (py::isinstance<py::bool_>(v)) {
    a.push_back(v.cast<bool>());
  } else if (py::isinstance<py::int_>(v)) {
    a.push_back(v.cast<std::int64_t>());
  } else if (py::isinstance<py::float_>(v)) {
    a.push_back(v.cast<double>());
  } else if (py::isinstance<py::str>(v)) {
    a.push_back(v.cast<std::string>());
  } else if (py::isinstance<py::dict>(v)) {
    a.push_back(to_table(py::reinterpret_borrow<py::dict>(v), where));
  } else if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
    toml::array inner;
    for (const auto& item : v) append(inner, item, where);
    a.push_back(std::move(inner));
  } else if (py::hasattr(v, "dtype") && py::hasattr(v, "item")) {  // numpy scalars
    append(a, v.attr("item")(), where);
  } else {
    throw py::type_error(where + ": a " + std::string(py::str(py::type::of(v).attr("__name__"))) +
                         " cannot be a TOML value (use numbers, strings, booleans, lists, dicts)");
  }
}

void insert(toml::table& t, const std::string& key, const py::handle& v, const std::string& where) {
  const std::string path = key_path(where, key);
  if (py::isinstance<py::dict>(v)) {
    t.insert(key, to_table(py::reinterpret_borrow<py::dict>(v), path));
    return;
  }
  toml::array a;
  append(a, v, path);
  if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
    t.insert(key, std::move(*a.get(0)->as_array()));
  } else {
    t.insert(key, std::move(*a.get(0)));
  }
}

toml::table to_table(const py::dict& d, const std::string& where) {
  toml::table t;
  for (const auto& [k, v] : d) {
    if (!py::isinstance<py::str>(k)) throw py::type_error(where + ": keys must be strings");
    insert(t, k.cast<std::string>(), v, where);
  }
  return t;
}

}  // namespace

std::string toml_text_from_dict(const py::dict& config) {
  const toml::table t = to_table(config, "");
  std::ostringstream out;
  out << toml::toml_formatter(t);
  return out.str();
}

}  // namespace signopt::python
