#include "signopt/data/npy.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "signopt/core/error.hpp"
#include "test_support.hpp"

namespace signopt {
namespace {

using testing::TempDir;

void expect_error(const std::filesystem::path& path, const std::string& fragment) {
  try {
    (void)read_vector_file(path);
    FAIL() << "no error for " << path;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Npy, RoundTripIsBitExact) {
  TempDir dir;
  Vector v(5);
  v << 1.0, -0.0, 1e-300, 3.141592653589793, -2.5e17;
  write_npy_vector(dir / "v.npy", v);
  const Vector back = read_npy_vector(dir / "v.npy");
  ASSERT_EQ(back.size(), v.size());
  for (Index i = 0; i < v.size(); ++i) EXPECT_EQ(std::signbit(back[i]), std::signbit(v[i]));
  EXPECT_EQ(back, v);
  // numpy's layout: the data starts at a multiple of 64 bytes.
  const std::string bytes = npy_bytes(v);
  EXPECT_EQ((bytes.size() - 5 * 8) % 64, 0u);
  EXPECT_EQ(bytes.substr(0, 6), "\x93NUMPY");
}

TEST(Npy, ReadsFloat32ColumnShapesAndText) {
  TempDir dir;
  // A hand-made float32 file of shape (3, 1), as np.save(np.array([[1],[2],[-0.5]], 'f4')) writes.
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1), }";
  header.append(64 - (10 + header.size() + 1) % 64, ' ');
  header += '\n';
  std::string bytes("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(header.size());
  bytes += '\0';
  bytes += header;
  for (float f : {1.0f, 2.0f, -0.5f}) bytes.append(reinterpret_cast<const char*>(&f), 4);
  const Vector v = read_vector_file(dir.write("f.npy", bytes));
  ASSERT_EQ(v.size(), 3);
  EXPECT_EQ(v[2], -0.5);
  const Vector t = read_vector_file(dir.write("x.csv", "# a start point\n1.5, 2\n-3e-2\n"));
  ASSERT_EQ(t.size(), 3);
  EXPECT_EQ(t[2], -0.03);
}

TEST(Npy, BadFilesAreErrorsNamingTheFile) {
  TempDir dir;
  expect_error(dir / "missing.npy", "no such file");
  expect_error(dir.write("bad.npy", "not numpy at all"), "not a .npy file");
  Vector v(4);
  v.setOnes();
  std::string truncated = npy_bytes(v);
  truncated.resize(truncated.size() - 9);
  expect_error(dir.write("short.npy", truncated), "needs 32");
  std::string ints = npy_bytes(v);
  ints.replace(ints.find("<f8"), 3, "<i8");
  expect_error(dir.write("ints.npy", ints), "expected float64");
  std::string matrix = npy_bytes(v);
  matrix.replace(matrix.find("(4,)"), 4, "(2,2)");
  expect_error(dir.write("matrix.npy", matrix), "expected a vector");
  expect_error(dir.write("x.csv", "1, 2\nthree\n"), "x.csv:2: 'three' is not a finite number");
  expect_error(dir.write("n.csv", "1, nan\n"), "n.csv:1");
  expect_error(dir.write("e.csv", "# nothing\n"), "holds no numbers");
}

}  // namespace
}  // namespace signopt
