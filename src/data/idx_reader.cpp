#include "signopt/data/idx_reader.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

std::vector<unsigned char> read_bytes(const std::filesystem::path& path) {
  std::error_code ec;
  require(std::filesystem::exists(path, ec), "{}: no such file", path.string());
  // A FIFO or device would block the open (or never end): only regular files are read.
  require(std::filesystem::is_regular_file(path, ec), "{}: not a regular file", path.string());
  std::ifstream in(path, std::ios::binary);
  require(static_cast<bool>(in), "{}: cannot open for reading", path.string());
  std::vector<unsigned char> bytes;
  std::error_code size_ec;
  const auto size = std::filesystem::file_size(path, size_ec);
  if (!size_ec && std::filesystem::is_regular_file(path, size_ec)) {
    // One read of the whole file (a byte-wise stream iterator is slow, badly so under ASan).
    bytes.resize(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    require(!in.bad() && static_cast<std::uintmax_t>(in.gcount()) == size,
            "{}: read error after {} of {} bytes", path.string(), in.gcount(), size);
  } else {
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  require(!in.bad(), "{}: read error", path.string());
  require(!bytes.empty(), "{}: file is empty", path.string());
  return bytes;
}

// Inflates a gzip stream, failing as soon as the output would exceed `limit` bytes: a small
// file that unpacks to gigabytes (a "gzip bomb") is refused before it is in memory.
std::vector<unsigned char> gunzip(const std::vector<unsigned char>& in, const std::string& source,
                                  std::size_t limit, bool prefix_only = false) {
  z_stream zs{};
  // 16 + MAX_WBITS: expect a gzip header.
  require(inflateInit2(&zs, 16 + MAX_WBITS) == Z_OK, "{}: zlib initialisation failed", source);
  // The gzip trailer's last four bytes (ISIZE, little-endian) hold the uncompressed size
  // modulo 2^32: inflating straight into a buffer of that size avoids growing and copying it
  // (for Fashion-MNIST that copying cost more than the decompression). The loop still grows
  // the buffer when ISIZE is wrong or wrapped (streams over 4 GiB). A truncated or corrupt
  // file has arbitrary bytes there, so ISIZE is trusted only up to deflate's largest ratio
  // and the limit.
  std::size_t expected = std::min<std::size_t>(1 << 20, limit + 1);
  if (in.size() >= 18) {
    const unsigned char* t = in.data() + in.size() - 4;
    const std::size_t isize = std::size_t{t[0]} | (std::size_t{t[1]} << 8) |
                              (std::size_t{t[2]} << 16) | (std::size_t{t[3]} << 24);
    expected = std::max(expected, std::min({isize, 1032 * in.size(), limit + 1}));
  }
  std::vector<unsigned char> out(expected);
  std::size_t produced = 0;
  zs.next_in = const_cast<unsigned char*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (produced == out.size()) {
      if (produced > limit || prefix_only) break;  // more than the limit: refused below
      out.resize(std::min(2 * out.size(), limit + 1));
    }
    const std::size_t room = std::min<std::size_t>(out.size() - produced, 1u << 30);
    zs.next_out = out.data() + produced;
    zs.avail_out = static_cast<uInt>(room);
    rc = inflate(&zs, Z_NO_FLUSH);
    produced += room - zs.avail_out;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
    if (rc == Z_BUF_ERROR && zs.avail_out == 0) rc = Z_OK;  // only out of room: grow
  }
  out.resize(produced);
  const std::size_t consumed = in.size() - zs.avail_in;
  inflateEnd(&zs);
  // A prefix may end anywhere (the buffer is full, or the stream is cut: the header check then
  // says so); corrupt data is reported as such.
  if (prefix_only && (rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR)) return out;
  require(produced <= limit, "{}: decompresses to more than {} bytes (the size its IDX header promises)",
          source, limit);
  if (rc != Z_STREAM_END) {
    if (rc == Z_OK || rc == Z_BUF_ERROR) {
      fail("{}: truncated gzip stream (ends after {} compressed bytes without an end marker)",
           source, consumed);
    }
    fail("{}: corrupt gzip data at compressed byte {} ({})", source, consumed,
         zs.msg != nullptr ? zs.msg : "inflate error");
  }
  return out;
}

std::uint32_t big_endian_u32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// The header: magic number and dimensions, each ≥ 1, their product (overflow-checked) at most
// kMaxIdxPayloadBytes. Returns the dimensions and the file's total size.
struct IdxHeader {
  std::vector<std::size_t> dims;
  std::size_t total_bytes = 0;  // header + payload
};

IdxHeader parse_header(const std::vector<unsigned char>& bytes, std::uint32_t expected_magic,
                       const std::string& source) {
  require(bytes.size() >= 4, "{}: byte 0: too short for an IDX header ({} bytes)", source,
          bytes.size());
  const std::uint32_t magic = big_endian_u32(bytes.data());
  require(magic == expected_magic,
          "{}: byte 0: wrong IDX magic number 0x{:08x}, expected 0x{:08x} ({})", source, magic,
          expected_magic, expected_magic == 0x803 ? "unsigned-byte images, 3 dimensions"
                                                  : "unsigned-byte labels, 1 dimension");
  const std::size_t ndims = magic & 0xFF;
  require(bytes.size() >= 4 + 4 * ndims, "{}: byte 4: truncated IDX header", source);
  IdxHeader h;
  h.dims.resize(ndims);
  std::size_t payload = 1;
  for (std::size_t k = 0; k < ndims; ++k) {
    h.dims[k] = big_endian_u32(bytes.data() + 4 + 4 * k);
    require(h.dims[k] >= 1, "{}: byte {}: IDX dimension {} is 0 (every dimension must be ≥ 1)", source,
            4 + 4 * k, k + 1);
    require(!__builtin_mul_overflow(payload, h.dims[k], &payload) && payload <= kMaxIdxPayloadBytes,
            "{}: byte {}: the IDX dimensions promise more than the limit of {} bytes of data", source,
            4 + 4 * k, kMaxIdxPayloadBytes);
  }
  h.total_bytes = 4 + 4 * ndims + payload;
  return h;
}

// Checks the header against the bytes and returns the dimensions.
std::vector<std::size_t> idx_dimensions(const std::vector<unsigned char>& bytes,
                                        std::uint32_t expected_magic, const std::string& source) {
  const IdxHeader h = parse_header(bytes, expected_magic, source);
  const std::size_t header = 4 + 4 * h.dims.size();
  const std::size_t total = h.total_bytes - header;
  require(bytes.size() - header == total,
          "{}: byte {}: IDX payload has {} bytes, the header promises {} ({})", source, header,
          bytes.size() - header, total, bytes.size() - header < total ? "truncated" : "trailing data");
  return h.dims;
}

// An IDX file's bytes, gunzipped when compressed: the header is inflated first, and the whole
// stream only up to the size the header promises.
std::vector<unsigned char> read_idx_bytes(const std::filesystem::path& path, std::uint32_t magic) {
  auto bytes = read_bytes(path);
  if (!(bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)) return bytes;
  const auto head = gunzip(bytes, path.string(), 4 + 4 * 255, /*prefix_only=*/true);
  const IdxHeader h = parse_header(head, magic, path.string());
  return gunzip(bytes, path.string(), h.total_bytes);
}

}  // namespace

std::vector<unsigned char> read_maybe_gzip(const std::filesystem::path& path, std::size_t limit) {
  auto bytes = read_bytes(path);
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return gunzip(bytes, path.string(), limit);
  return bytes;
}

RowMatrix read_idx_images(const std::filesystem::path& path) {
  const auto bytes = read_idx_bytes(path, 0x00000803);
  const auto dims = idx_dimensions(bytes, 0x00000803, path.string());
  const auto n = static_cast<Index>(dims[0]);
  const auto pixels = static_cast<Index>(dims[1] * dims[2]);
  RowMatrix images(n, pixels);
  // A table of the 256 values b/255 (the same doubles as dividing each pixel) and one flat
  // pass over the row-major storage.
  std::array<double, 256> scaled{};
  for (std::size_t b = 0; b < scaled.size(); ++b) scaled[b] = static_cast<double>(b) / 255.0;
  const unsigned char* p = bytes.data() + 16;
  double* dst = images.data();
  for (Index k = 0; k < images.size(); ++k) dst[k] = scaled[p[k]];
  return images;
}

Eigen::VectorXi read_idx_labels(const std::filesystem::path& path, int num_classes) {
  require(num_classes >= 1 && num_classes <= 256, "IDX labels: the number of classes must be in [1, 256], got {}",
          num_classes);
  const auto bytes = read_idx_bytes(path, 0x00000801);
  const auto dims = idx_dimensions(bytes, 0x00000801, path.string());
  Eigen::VectorXi labels(static_cast<Index>(dims[0]));
  for (Index i = 0; i < labels.size(); ++i) {
    const std::size_t at = 8 + static_cast<std::size_t>(i);
    require(bytes[at] < num_classes, "{}: byte {}: label {} of sample {} is outside the {} classes 0..{}",
            path.string(), at, int{bytes[at]}, i + 1, num_classes, num_classes - 1);
    labels[i] = bytes[at];
  }
  return labels;
}

Dataset read_idx_dataset(const std::filesystem::path& images, const std::filesystem::path& labels,
                         int num_classes) {
  Dataset data;
  data.source = images.string();
  RowMatrix x = read_idx_images(images);
  data.labels = read_idx_labels(labels, num_classes);
  require(x.rows() == data.labels.size(), "{} has {} images but {} has {} labels",
          images.string(), x.rows(), labels.string(), data.labels.size());
  data.features = std::move(x);
  data.label_kind = LabelKind::MultiClass;
  data.num_classes = num_classes;  // declared, not inferred: a stray label is an error above
  for (int k = 0; k < data.num_classes; ++k) data.class_values.push_back(k);
  return data;
}

Dataset read_fashion_mnist(const std::string& part, const std::filesystem::path& directory) {
  std::string prefix;
  if (part == "train") {
    prefix = "train";
  } else if (part == "test") {
    prefix = "t10k";
  } else {
    fail("Fashion-MNIST part must be 'train' or 'test', got '{}'", part);
  }
  const auto images = directory / (prefix + "-images-idx3-ubyte.gz");
  const auto labels = directory / (prefix + "-labels-idx1-ubyte.gz");
  std::error_code ec;
  require(std::filesystem::exists(images, ec),
          "{}: not found (install the Debian package dataset-fashion-mnist: scripts/bootstrap)",
          images.string());
  Dataset data = read_idx_dataset(images, labels);
  data.source = "fashion-mnist/" + part;
  return data;
}

}  // namespace signopt
