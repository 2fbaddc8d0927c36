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

std::vector<unsigned char> gunzip(const std::vector<unsigned char>& in, const std::string& source) {
  z_stream zs{};
  // 16 + MAX_WBITS: expect a gzip header.
  require(inflateInit2(&zs, 16 + MAX_WBITS) == Z_OK, "{}: zlib initialisation failed", source);
  // The gzip trailer's last four bytes (ISIZE, little-endian) hold the uncompressed size
  // modulo 2^32: inflating straight into a buffer of that size avoids growing and copying it
  // (for Fashion-MNIST that copying cost more than the decompression). The loop still grows
  // the buffer when ISIZE is wrong or wrapped (streams over 4 GiB). A truncated or corrupt
  // file has arbitrary bytes there, so ISIZE is trusted only up to deflate's largest ratio.
  std::size_t expected = 1 << 20;
  if (in.size() >= 18) {
    const unsigned char* t = in.data() + in.size() - 4;
    const std::size_t isize = std::size_t{t[0]} | (std::size_t{t[1]} << 8) |
                              (std::size_t{t[2]} << 16) | (std::size_t{t[3]} << 24);
    expected = std::max(expected, std::min(isize, 1032 * in.size()));
  }
  std::vector<unsigned char> out(expected);
  std::size_t produced = 0;
  zs.next_in = const_cast<unsigned char*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (produced == out.size()) out.resize(2 * out.size());
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

// Checks the header and returns the dimensions.
std::vector<std::size_t> idx_dimensions(const std::vector<unsigned char>& bytes,
                                        std::uint32_t expected_magic, const std::string& source) {
  require(bytes.size() >= 4, "{}: byte 0: too short for an IDX header ({} bytes)", source,
          bytes.size());
  const std::uint32_t magic = big_endian_u32(bytes.data());
  require(magic == expected_magic,
          "{}: byte 0: wrong IDX magic number 0x{:08x}, expected 0x{:08x} ({})", source, magic,
          expected_magic, expected_magic == 0x803 ? "unsigned-byte images, 3 dimensions"
                                                  : "unsigned-byte labels, 1 dimension");
  const std::size_t ndims = magic & 0xFF;
  require(bytes.size() >= 4 + 4 * ndims, "{}: byte 4: truncated IDX header", source);
  std::vector<std::size_t> dims(ndims);
  std::size_t total = 1;
  for (std::size_t k = 0; k < ndims; ++k) {
    dims[k] = big_endian_u32(bytes.data() + 4 + 4 * k);
    total *= dims[k];
  }
  const std::size_t header = 4 + 4 * ndims;
  require(bytes.size() - header == total,
          "{}: byte {}: IDX payload has {} bytes, the header promises {} ({})", source, header,
          bytes.size() - header, total, bytes.size() - header < total ? "truncated" : "trailing data");
  return dims;
}

}  // namespace

std::vector<unsigned char> read_maybe_gzip(const std::filesystem::path& path) {
  auto bytes = read_bytes(path);
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return gunzip(bytes, path.string());
  return bytes;
}

RowMatrix read_idx_images(const std::filesystem::path& path) {
  const auto bytes = read_maybe_gzip(path);
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

Eigen::VectorXi read_idx_labels(const std::filesystem::path& path) {
  const auto bytes = read_maybe_gzip(path);
  const auto dims = idx_dimensions(bytes, 0x00000801, path.string());
  Eigen::VectorXi labels(static_cast<Index>(dims[0]));
  for (Index i = 0; i < labels.size(); ++i) labels[i] = bytes[8 + static_cast<std::size_t>(i)];
  return labels;
}

Dataset read_idx_dataset(const std::filesystem::path& images, const std::filesystem::path& labels) {
  Dataset data;
  data.source = images.string();
  RowMatrix x = read_idx_images(images);
  data.labels = read_idx_labels(labels);
  require(x.rows() == data.labels.size(), "{} has {} images but {} has {} labels",
          images.string(), x.rows(), labels.string(), data.labels.size());
  data.features = std::move(x);
  data.label_kind = LabelKind::MultiClass;
  data.num_classes = data.labels.size() > 0 ? data.labels.maxCoeff() + 1 : 0;
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
