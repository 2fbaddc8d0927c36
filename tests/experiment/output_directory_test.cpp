#include "signopt/experiment/output_directory.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/error.hpp"
#include "test_support.hpp"

namespace signopt::experiment {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using Mode = OutputDirectory::Mode;

void touch(const fs::path& p, const std::string& text = "x") {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// What one study writes: a table, a run file and a plot.
void write_study(const fs::path& dir, const std::string& tag) {
  write_file_atomically(dir / "summary.csv", tag);
  write_file_atomically(dir / "runs" / "m000-s1.json", tag);
  write_file_atomically(dir / "plots" / (tag + ".dat"), tag);
}

TEST(OutputDirectory, ListsEveryFileWrittenInsideItAndNothingOutside) {
  TempDir tmp;
  const fs::path dir = tmp / "out";
  {
    OutputDirectory out(dir, Mode{});
    out.replace_previous_study();
    write_study(dir, "a");
    write_file_atomically(tmp / "elsewhere.txt", "not ours");
    EXPECT_EQ(out.listed(), (std::set<std::string>{"plots/a.dat", "runs/m000-s1.json", "summary.csv"}));
  }
  // Written after the directory object is gone: not listed (nothing listens any more).
  write_file_atomically(dir / "later.txt", "x");
  std::ifstream list(dir / OutputDirectory::kListName);
  std::string text((std::istreambuf_iterator<char>(list)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("plots/a.dat\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("later.txt"), std::string::npos) << text;
  EXPECT_EQ(text.find("elsewhere"), std::string::npos) << text;
}

TEST(OutputDirectory, FreshStudyRemovesExactlyThePreviousStudysFiles) {
  TempDir tmp;
  const fs::path dir = tmp / "out";
  {
    OutputDirectory out(dir, Mode{});
    out.replace_previous_study();
    write_study(dir, "a");
    write_file_atomically(dir / "theory_check.md", "study a only");
  }
  touch(dir / "notes.txt", "the user's");
  touch(dir / "runs" / "notes.txt", "the user's too");
  {
    OutputDirectory out(dir, Mode{});
    // Nothing is deleted until the new study is about to start.
    EXPECT_TRUE(fs::exists(dir / "theory_check.md"));
    out.replace_previous_study();
    write_study(dir, "b");
    EXPECT_EQ(out.listed(), (std::set<std::string>{"plots/b.dat", "runs/m000-s1.json", "summary.csv"}));
  }
  EXPECT_FALSE(fs::exists(dir / "theory_check.md"));
  EXPECT_FALSE(fs::exists(dir / "plots" / "a.dat"));
  EXPECT_TRUE(fs::exists(dir / "plots" / "b.dat"));
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  EXPECT_TRUE(fs::exists(dir / "runs" / "notes.txt"));
}

TEST(OutputDirectory, ANonEmptyDirectoryWithoutAListIsRefusedUnlessForced) {
  TempDir tmp;
  const fs::path dir = tmp / "mine";
  touch(dir / "thesis.tex");
  touch(dir / "runs" / "summary.csv", "a file with an output's name");
  const std::string message = error_of([&] { OutputDirectory out(dir, Mode{}); });
  EXPECT_NE(message.find(dir.string()), std::string::npos) << message;
  EXPECT_NE(message.find("not written by signopt"), std::string::npos) << message;
  EXPECT_NE(message.find("--force"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(dir / OutputDirectory::kListName));
  // Resuming does not get around it either.
  EXPECT_NE(error_of([&] { OutputDirectory out(dir, Mode{.resume = true}); }), "(no error)");
  {
    OutputDirectory out(dir, Mode{.force = true});
    out.replace_previous_study();
    write_study(dir, "a");
  }
  EXPECT_TRUE(fs::exists(dir / "thesis.tex"));
  // Now a signopt output: the next study needs no --force and deletes only what it listed.
  {
    OutputDirectory out(dir, Mode{});
    out.replace_previous_study();
  }
  EXPECT_TRUE(fs::exists(dir / "thesis.tex"));
  EXPECT_TRUE(fs::exists(dir / "runs" / "summary.csv"));
  EXPECT_FALSE(fs::exists(dir / "summary.csv"));
  EXPECT_FALSE(fs::exists(dir / "plots" / "a.dat"));
}

TEST(OutputDirectory, EmptyDirectoriesCountAsEmpty) {
  TempDir tmp;
  fs::create_directories(tmp / "out" / "plots");
  EXPECT_NO_THROW(OutputDirectory(tmp / "out", Mode{}));
  touch(tmp / "file" );
  EXPECT_THROW(OutputDirectory(tmp.path(), Mode{}), Error);
}

TEST(OutputDirectory, ResumeKeepsTheFilesAndRemovesStaleTemporaries) {
  TempDir tmp;
  const fs::path dir = tmp / "out";
  {
    OutputDirectory out(dir, Mode{});
    out.replace_previous_study();
    write_study(dir, "a");
  }
  // A killed process left temporaries; pid 999999999 cannot exist (above pid_max).
  touch(dir / "runs" / "m000-s1.json.tmp.999999999");
  touch(dir / "summary.csv.tmp.999999999");
  const std::string own = "summary.csv.tmp." + std::to_string(::getpid());
  touch(dir / own);
  touch(dir / "runs" / "notes.txt.tmp.999999999");  // not a listed file's: the user's
  {
    OutputDirectory out(dir, Mode{.resume = true});
    out.replace_previous_study();
  }
  EXPECT_TRUE(fs::exists(dir / "runs" / "m000-s1.json"));
  EXPECT_TRUE(fs::exists(dir / "summary.csv"));
  EXPECT_FALSE(fs::exists(dir / "runs" / "m000-s1.json.tmp.999999999"));
  EXPECT_FALSE(fs::exists(dir / "summary.csv.tmp.999999999"));
  EXPECT_TRUE(fs::exists(dir / own));  // a live process's (this one's)
  EXPECT_TRUE(fs::exists(dir / "runs" / "notes.txt.tmp.999999999"));
}

TEST(OutputDirectory, AListNamingAPathOutsideIsAnError) {
  TempDir tmp;
  const fs::path dir = tmp / "out";
  touch(tmp / "precious.txt");
  touch(dir / OutputDirectory::kListName, "# list\nsummary.csv\n../precious.txt\n");
  const std::string message = error_of([&] { OutputDirectory out(dir, Mode{}); });
  EXPECT_NE(message.find(".signopt-outputs:3: '../precious.txt' is not a path inside"), std::string::npos)
      << message;
  EXPECT_TRUE(fs::exists(tmp / "precious.txt"));
}

}  // namespace
}  // namespace signopt::experiment
