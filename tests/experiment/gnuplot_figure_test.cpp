#include "signopt/experiment/gnuplot_figure.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "signopt/core/error.hpp"
#include "test_support.hpp"

namespace signopt::experiment {
namespace {

namespace fs = std::filesystem;
using signopt::testing::TempDir;

GnuplotFigure figure(const std::string& stem, const std::string& plot = "plot sin(x)") {
  return {stem, fmt::format("set title \"{}\"\n", gnuplot_text(stem)), plot};
}

TEST(GnuplotRender, DrawsEveryFigureAsPngAndSvgInOrder) {
  TempDir dir;
  GnuplotRender render(dir.path() / "plots", 2);
  for (const char* stem : {"a", "b", "c"}) render.add(figure(stem));
  const auto images = render.wait();
  const std::vector<fs::path> expected{dir.path() / "plots/a.png", dir.path() / "plots/a.svg",
                                       dir.path() / "plots/b.png", dir.path() / "plots/b.svg",
                                       dir.path() / "plots/c.png", dir.path() / "plots/c.svg"};
  EXPECT_EQ(images, expected);
  for (const auto& image : images) EXPECT_GT(fs::file_size(image), 1000u) << image;
  for (const auto& entry : fs::directory_iterator(dir.path() / "plots")) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(name.find(".part"), std::string::npos) << name;
    EXPECT_EQ(name.find(".log"), std::string::npos) << name;  // logs of successful renders go
  }
  // Each script is kept and renders on its own.
  EXPECT_TRUE(fs::exists(dir.path() / "plots/b.gp"));
  EXPECT_THROW(render.wait(), Error);
}

TEST(GnuplotRender, DirectoriesWithQuotesAndSpaces) {
  TempDir dir;
  GnuplotRender render(dir.path() / "it's a \"dir\"", 1);
  render.add(figure("a"));
  const auto images = render.wait();
  ASSERT_EQ(images.size(), 2u);
  EXPECT_TRUE(fs::exists(images[0]));
}

TEST(GnuplotRender, NoFiguresIsNoWork) {
  TempDir dir;
  GnuplotRender render(dir.path() / "plots");
  EXPECT_TRUE(render.wait().empty());
}

TEST(GnuplotRender, AFailingScriptIsAnErrorNamingTheLog) {
  TempDir dir;
  GnuplotRender render(dir.path() / "plots", 1);
  render.add(figure("good"));
  render.add(figure("bad", "plot 'no-such-file.dat' using 1:2"));
  try {
    render.wait();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("gnuplot-1.log"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::exists(dir.path() / "plots/gnuplot-1.log"));
  for (const char* name : {"bad.png", "bad.png.part", "good.png.part", "good.svg.part"}) {
    EXPECT_FALSE(fs::exists(dir.path() / "plots" / name)) << name;  // never a half-made image
  }
}

TEST(GnuplotRender, MissingGnuplotIsAnErrorNotACrash) {
  TempDir dir;
  const std::string path = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
  setenv("PATH", (dir.path() / "empty").c_str(), 1);
  try {
    GnuplotRender render(dir.path() / "plots", 2);
    for (int i = 0; i < 4; ++i) render.add(figure(fmt::format("f{}", i)));  // no SIGPIPE
    EXPECT_THROW(render.wait(), Error);
  } catch (...) {
    setenv("PATH", path.c_str(), 1);
    throw;
  }
  setenv("PATH", path.c_str(), 1);
}

TEST(GnuplotText, EscapesQuotesAndEnhancedModeCharacters) {
  EXPECT_EQ(gnuplot_text("a_b"), "a\\\\_b");
  EXPECT_EQ(gnuplot_text("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(gnuplot_text("x^2"), "x\\\\^2");
}

}  // namespace
}  // namespace signopt::experiment
