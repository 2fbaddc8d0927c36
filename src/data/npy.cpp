#include "signopt/data/npy.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/error.hpp"

namespace signopt {
namespace {

static_assert(std::endian::native == std::endian::little, "the .npy code assumes a little-endian host");

std::string read_all(const std::filesystem::path& path) {
  std::error_code ec;
  require(std::filesystem::is_regular_file(path, ec), "{}: no such file", path.string());
  std::ifstream in(path, std::ios::binary);
  require(static_cast<bool>(in), "{}: cannot open for reading", path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The value of 'key' in the header dict, as the text up to the next top-level comma or brace.
std::string header_field(const std::string& header, const std::string& key, const std::string& file) {
  const std::string quoted = "'" + key + "'";
  const auto at = header.find(quoted);
  require(at != std::string::npos, "{}: .npy header has no {} field", file, quoted);
  auto pos = header.find(':', at + quoted.size());
  require(pos != std::string::npos, "{}: malformed .npy header", file);
  ++pos;
  while (pos < header.size() && header[pos] == ' ') ++pos;
  if (pos < header.size() && header[pos] == '(') {
    const auto end = header.find(')', pos);
    require(end != std::string::npos, "{}: malformed shape in .npy header", file);
    return header.substr(pos, end - pos + 1);
  }
  auto end = pos;
  while (end < header.size() && header[end] != ',' && header[end] != '}') ++end;
  std::string v = header.substr(pos, end - pos);
  while (!v.empty() && v.back() == ' ') v.pop_back();
  return v;
}

std::vector<long long> parse_shape(const std::string& text, const std::string& file) {
  std::vector<long long> dims;
  std::string inner = text.substr(1, text.size() - 2);
  std::stringstream ss(inner);
  std::string item;
  while (std::getline(ss, item, ',')) {
    std::size_t b = item.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    item = item.substr(b);
    while (!item.empty() && (item.back() == ' ' || item.back() == 'L')) item.pop_back();
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(item.c_str(), &end, 10);
    require(end != item.c_str() && *end == '\0' && errno == 0 && v >= 0,
            "{}: bad dimension '{}' in .npy shape {}", file, item, text);
    dims.push_back(v);
  }
  return dims;
}

}  // namespace

Vector read_npy_vector(const std::filesystem::path& path) {
  const std::string file = path.string();
  const std::string bytes = read_all(path);
  require(bytes.size() >= 10 && bytes.compare(0, 6, "\x93NUMPY") == 0,
          "{}: not a .npy file (no \\x93NUMPY magic)", file);
  const auto major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    require(bytes.size() >= 12, "{}: truncated .npy header", file);
    for (int i = 0; i < 4; ++i) header_len |= static_cast<std::size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    offset = 12;
  } else {
    fail("{}: unsupported .npy version {}", file, major);
  }
  require(bytes.size() >= offset + header_len, "{}: truncated .npy header", file);
  const std::string header = bytes.substr(offset, header_len);
  const std::string descr = header_field(header, "descr", file);
  const std::string order = header_field(header, "fortran_order", file);
  const std::string shape_text = header_field(header, "shape", file);
  require(!shape_text.empty() && shape_text.front() == '(', "{}: malformed shape in .npy header", file);
  const auto shape = parse_shape(shape_text, file);
  require(order == "False" || order == "True", "{}: malformed fortran_order '{}'", file, order);
  long long n = 0;
  if (shape.size() == 1) {
    n = shape[0];
  } else if (shape.size() == 2 && (shape[0] == 1 || shape[1] == 1)) {
    n = shape[0] * shape[1];
  } else {
    fail("{}: expected a vector (shape (d,), (d, 1) or (1, d)), found shape {}", file, shape_text);
  }
  std::size_t item = 0;
  if (descr == "'<f8'") {
    item = 8;
  } else if (descr == "'<f4'") {
    item = 4;
  } else {
    fail("{}: expected float64 ('<f8') or float32 ('<f4') data, found dtype {}", file, descr);
  }
  const std::size_t data_at = offset + header_len;
  require(static_cast<unsigned long long>(n) <= (bytes.size() - data_at) / item,
          "{}: holds {} bytes of data, its shape {} needs {}", file, bytes.size() - data_at, shape_text,
          static_cast<unsigned long long>(n) * item);
  Vector v(static_cast<Index>(n));
  for (long long i = 0; i < n; ++i) {
    if (item == 8) {
      double x;
      std::memcpy(&x, bytes.data() + data_at + static_cast<std::size_t>(i) * 8, 8);
      v[static_cast<Index>(i)] = x;
    } else {
      float x;
      std::memcpy(&x, bytes.data() + data_at + static_cast<std::size_t>(i) * 4, 4);
      v[static_cast<Index>(i)] = static_cast<double>(x);
    }
  }
  require(v.allFinite(), "{}: holds NaN or infinite values", file);
  return v;
}

std::string npy_bytes(const Vector& v) {
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(v.size()) + ",), }";
  // Magic (6) + version (2) + length (2) + header + '\n' is a multiple of 64.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>((header.size() >> 8) & 0xff);
  out += header;
  const std::size_t at = out.size();
  out.resize(at + static_cast<std::size_t>(v.size()) * 8);
  if (v.size() > 0) std::memcpy(out.data() + at, v.data(), static_cast<std::size_t>(v.size()) * 8);
  return out;
}

void write_npy_vector(const std::filesystem::path& path, const Vector& v) {
  write_file_atomically(path, npy_bytes(v));
}

Vector read_text_vector(const std::filesystem::path& path) {
  const std::string file = path.string();
  const std::string text = read_all(path);
  std::vector<double> values;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    for (char& c : line) {
      if (c == ',' || c == ';' || c == '\t' || c == '\r') c = ' ';
    }
    std::istringstream items(line);
    std::string item;
    while (items >> item) {
      char* end = nullptr;
      const double x = std::strtod(item.c_str(), &end);
      require(end != item.c_str() && *end == '\0' && std::isfinite(x),
              "{}:{}: '{}' is not a finite number", file, line_no, item);
      values.push_back(x);
    }
  }
  require(!values.empty(), "{}: holds no numbers", file);
  return Eigen::Map<const Vector>(values.data(), static_cast<Index>(values.size()));
}

Vector read_vector_file(const std::filesystem::path& path) {
  return path.extension() == ".npy" ? read_npy_vector(path) : read_text_vector(path);
}

}  // namespace signopt
