#include "signopt/data/idx_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>

#include <functional>
#include <string>
#include <vector>

#include "signopt/core/error.hpp"
#include "test_support.hpp"

namespace signopt {
namespace {

using testing::TempDir;

std::string big_endian(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string idx_images(std::uint32_t n, std::uint32_t rows, std::uint32_t cols,
                       const std::vector<unsigned char>& pixels) {
  return big_endian(0x803) + big_endian(n) + big_endian(rows) + big_endian(cols) +
         std::string(pixels.begin(), pixels.end());
}

std::string idx_labels(const std::vector<unsigned char>& labels) {
  return big_endian(0x801) + big_endian(static_cast<std::uint32_t>(labels.size())) +
         std::string(labels.begin(), labels.end());
}

// gzip-compresses with zlib (windowBits 16 + 15 writes a gzip header and trailer).
std::string gzip(const std::string& raw) {
  z_stream zs{};
  EXPECT_EQ(
      deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string out(deflateBound(&zs, static_cast<uLong>(raw.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  zs.avail_in = static_cast<uInt>(raw.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

const std::vector<unsigned char> kPixels{0, 255, 51, 102, 153, 204,  // image 0 (2×3)
                                         1, 2,   3,  4,   5,   6};   // image 1

TEST(IdxReader, AFifoIsRefusedInsteadOfBlocking) {
  const auto dir = std::filesystem::temp_directory_path() / ("signopt_idx_fifo_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto fifo = dir / "images.idx";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  try {
    (void)read_idx_images(fifo);
    ADD_FAILURE() << "no error for a FIFO";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(IdxReader, ReadsImagesScaledToUnitInterval) {
  TempDir dir;
  const auto path = dir.write("images.idx", idx_images(2, 2, 3, kPixels));
  const RowMatrix images = read_idx_images(path);
  ASSERT_EQ(images.rows(), 2);
  ASSERT_EQ(images.cols(), 6);
  for (Index i = 0; i < 2; ++i) {
    for (Index j = 0; j < 6; ++j) {
      EXPECT_DOUBLE_EQ(images(i, j), kPixels[static_cast<std::size_t>(6 * i + j)] / 255.0);
    }
  }
}

TEST(IdxReader, GzipIsDetectedByMagicNotByName) {
  TempDir dir;
  const std::string raw = idx_images(2, 2, 3, kPixels);
  const auto plain = dir.write("images.idx", raw);
  const auto packed = dir.write("images.bin", gzip(raw));  // no .gz suffix on purpose
  EXPECT_EQ(read_idx_images(packed), read_idx_images(plain));
  const auto bytes = read_maybe_gzip(packed);
  EXPECT_EQ(std::string(bytes.begin(), bytes.end()), raw);
}

TEST(IdxReader, ReadsLabelsAndBuildsAMultiClassDataset) {
  TempDir dir;
  const auto images = dir.write("img.gz", gzip(idx_images(2, 2, 3, kPixels)));
  const auto labels = dir.write("lab.gz", gzip(idx_labels({3, 1})));
  EXPECT_EQ(read_idx_labels(labels), (Eigen::VectorXi(2) << 3, 1).finished());
  const Dataset data = read_idx_dataset(images, labels, /*num_classes=*/4);
  EXPECT_EQ(data.rows(), 2);
  EXPECT_EQ(data.cols(), 6);
  EXPECT_EQ(data.label_kind, LabelKind::MultiClass);
  EXPECT_EQ(data.num_classes, 4);
  EXPECT_EQ(data.class_values, (std::vector<double>{0, 1, 2, 3}));
}

TEST(IdxReader, WrongMagicNamesFileAndBothNumbers) {
  TempDir dir;
  const auto labels = dir.write("labels.idx", idx_labels({1, 2}));
  const std::string message = error_of([&] { read_idx_images(labels); });
  EXPECT_CONTAINS(message, labels.string());
  EXPECT_CONTAINS(message, "wrong IDX magic number 0x00000801, expected 0x00000803");
}

TEST(IdxReader, TruncatedGzipIsReported) {
  TempDir dir;
  std::vector<unsigned char> many(4000);
  for (std::size_t i = 0; i < many.size(); ++i) many[i] = static_cast<unsigned char>(i * 7919);
  const std::string packed = gzip(idx_images(1, 40, 100, many));
  const auto path = dir.write("cut.gz", packed.substr(0, packed.size() / 2));
  const std::string message = error_of([&] { read_idx_images(path); });
  EXPECT_CONTAINS(message, path.string());
  EXPECT_CONTAINS(message, "truncated gzip stream");
}

TEST(IdxReader, CorruptGzipIsReported) {
  TempDir dir;
  std::string packed = gzip(idx_images(2, 2, 3, kPixels));
  for (std::size_t i = 10; i < packed.size(); ++i) packed[i] = static_cast<char>(0xFF);
  const auto path = dir.write("corrupt.gz", packed);
  const std::string message = error_of([&] { read_idx_images(path); });
  EXPECT_CONTAINS(message, path.string());
  EXPECT_CONTAINS(message, "corrupt gzip data");
}

TEST(IdxReader, PayloadSizeMismatchIsReported) {
  TempDir dir;
  // The header promises 3 images of 2×3 = 18 bytes; 12 are there.
  const auto short_file = dir.write("short.idx", idx_images(3, 2, 3, kPixels));
  const std::string short_message = error_of([&] { read_idx_images(short_file); });
  EXPECT_CONTAINS(short_message, short_file.string());
  EXPECT_CONTAINS(short_message, "IDX payload has 12 bytes, the header promises 18 (truncated)");
  // One image promised, two present.
  const auto long_file = dir.write("long.idx", idx_images(1, 2, 3, kPixels));
  EXPECT_CONTAINS(error_of([&] { read_idx_images(long_file); }), "(trailing data)");
  // Labels: the same check on the 1-dimensional format.
  std::string labels = idx_labels({1, 2, 3});
  labels.pop_back();
  const auto short_labels = dir.write("labels.idx", labels);
  EXPECT_CONTAINS(error_of([&] { read_idx_labels(short_labels); }),
                  "IDX payload has 2 bytes, the header promises 3 (truncated)");
}

TEST(IdxReader, EmptyMissingAndTooShortFiles) {
  TempDir dir;
  const auto empty = dir.write("empty.idx", "");
  EXPECT_CONTAINS(error_of([&] { read_idx_images(empty); }), empty.string() + ": file is empty");
  const auto missing = dir / "missing.idx";
  EXPECT_CONTAINS(error_of([&] { read_idx_labels(missing); }), missing.string() + ": no such file");
  const auto tiny = dir.write("tiny.idx", std::string("\x00\x00", 2));
  EXPECT_CONTAINS(error_of([&] { read_idx_images(tiny); }), "too short for an IDX header");
  const auto header_only = dir.write("header.idx", big_endian(0x803) + big_endian(2));
  EXPECT_CONTAINS(error_of([&] { read_idx_images(header_only); }), "truncated IDX header");
}

TEST(IdxReader, ImageAndLabelCountsMustAgree) {
  TempDir dir;
  const auto images = dir.write("img.idx", idx_images(2, 2, 3, kPixels));
  const auto labels = dir.write("lab.idx", idx_labels({1, 2, 3}));
  const std::string message = error_of([&] { read_idx_dataset(images, labels); });
  EXPECT_CONTAINS(message,
                  images.string() + " has 2 images but " + labels.string() + " has 3 labels");
}

TEST(IdxReader, FashionMnistPartAndDirectoryAreChecked) {
  EXPECT_CONTAINS(error_of([] { read_fashion_mnist("validation"); }),
                  "Fashion-MNIST part must be 'train' or 'test', got 'validation'");
  TempDir dir;
  const std::string message = error_of([&] { read_fashion_mnist("test", dir.path()); });
  EXPECT_CONTAINS(message, (dir / "t10k-images-idx3-ubyte.gz").string());
  EXPECT_CONTAINS(message, "dataset-fashion-mnist");
  // A directory laid out like the package works.
  dir.write("t10k-images-idx3-ubyte.gz", gzip(idx_images(2, 2, 3, kPixels)));
  dir.write("t10k-labels-idx1-ubyte.gz", gzip(idx_labels({9, 0})));
  const Dataset data = read_fashion_mnist("test", dir.path());
  EXPECT_EQ(data.source, "fashion-mnist/test");
  EXPECT_EQ(data.rows(), 2);
  EXPECT_EQ(data.num_classes, 10);
}

// Hostile headers (issue 20): dimension products that overflow, zero dimensions, a gzip bomb,
// labels outside the declared classes. Each is refused before anything large is allocated.
TEST(IdxReader, DimensionsWhoseProductOverflowsAreRefused) {
  TempDir dir;
  // 2^31 · 2^31 · 4 = 2^64 wraps to 0 in 64-bit arithmetic and used to pass the size check.
  const auto path = dir.write("wrap.idx", idx_images(0x80000000u, 0x80000000u, 4, {}));
  const std::string message = error_of([&] { read_idx_images(path); });
  EXPECT_CONTAINS(message, path.string());
  EXPECT_CONTAINS(message, "more than the limit of 268435456 bytes");
}

TEST(IdxReader, ZeroDimensionIsRefused) {
  TempDir dir;
  const auto path = dir.write("zero.idx", idx_images(0, 0xFFFFFFFFu, 0xFFFFFFFFu, {}));
  const std::string message = error_of([&] { read_idx_images(path); });
  EXPECT_CONTAINS(message, "byte 4: IDX dimension 1 is 0");
}

TEST(IdxReader, GzipBombIsRefusedBeforeItIsInflated) {
  TempDir dir;
  // The header promises one 2×3 image; the stream inflates to 64 MiB.
  const std::vector<unsigned char> one_image(kPixels.begin(), kPixels.begin() + 6);
  std::string raw = idx_images(1, 2, 3, one_image);
  raw += std::string(std::size_t{64} << 20, '\0');
  const auto path = dir.write("bomb.gz", gzip(raw));
  EXPECT_LT(std::filesystem::file_size(path), std::uintmax_t{1} << 20);
  const std::string message = error_of([&] { read_idx_images(path); });
  EXPECT_CONTAINS(message, path.string());
  EXPECT_CONTAINS(message, "decompresses to more than 22 bytes");
  // The same stream within the promised size reads.
  const auto fine = dir.write("fine.gz", gzip(idx_images(1, 2, 3, one_image)));
  EXPECT_EQ(read_idx_images(fine).cols(), 6);
}

TEST(IdxReader, LabelOutsideTheDeclaredClassesIsRefused) {
  TempDir dir;
  const auto labels = dir.write("lab.idx", idx_labels({3, 255}));
  const std::string message = error_of([&] { read_idx_labels(labels); });
  EXPECT_CONTAINS(message, labels.string());
  EXPECT_CONTAINS(message, "byte 9: label 255 of sample 2 is outside the 10 classes 0..9");
  EXPECT_EQ(read_idx_labels(labels, 256), (Eigen::VectorXi(2) << 3, 255).finished());
}

}  // namespace
}  // namespace signopt
