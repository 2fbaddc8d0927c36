#include "signopt/experiment/plots.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "signopt/core/error.hpp"
#include "test_support.hpp"

namespace signopt::experiment {
namespace {

using signopt::testing::TempDir;

std::vector<TraceRow> rows(std::initializer_list<std::pair<Index, double>> values) {
  std::vector<TraceRow> out;
  for (const auto& [it, v] : values) out.push_back({it, {v, 10 * v}});
  return out;
}

TEST(TraceTable, GathersSeedsPerIterationAcrossRunsOfDifferentLengths) {
  TraceTable t;
  t.metrics = {"loss", "norm"};
  t.add_run("A", rows({{0, 1.0}, {1, 2.0}, {2, 3.0}}));
  t.add_run("A", rows({{0, 4.0}, {1, 5.0}}));            // stopped early (diverged)
  t.add_run("A", rows({{0, 6.0}, {2, 7.0}, {3, 8.0}}));  // another schedule: iterations merge
  t.add_run("B", rows({{0, 9.0}}));
  EXPECT_EQ(t.methods, (std::vector<std::string>{"A", "B"}));
  const auto& loss = t.data.at("A").at("loss");
  ASSERT_EQ(loss.size(), 4u);
  EXPECT_EQ(loss[0], (std::pair<long long, std::vector<double>>{0, {1.0, 4.0, 6.0}}));
  EXPECT_EQ(loss[1], (std::pair<long long, std::vector<double>>{1, {2.0, 5.0}}));
  EXPECT_EQ(loss[2], (std::pair<long long, std::vector<double>>{2, {3.0, 7.0}}));
  EXPECT_EQ(loss[3], (std::pair<long long, std::vector<double>>{3, {8.0}}));
  // Every metric lists the same iterations.
  const auto& norm = t.data.at("A").at("norm");
  ASSERT_EQ(norm.size(), loss.size());
  for (std::size_t i = 0; i < norm.size(); ++i) EXPECT_EQ(norm[i].first, loss[i].first);
  EXPECT_EQ(norm[0].second, (std::vector<double>{10.0, 40.0, 60.0}));
}

TEST(TraceTable, ReadFromCsvEqualsBuiltFromRuns) {
  TempDir dir;
  {
    std::ofstream out(dir.path() / "traces.csv");
    out << "method,seed,iteration,loss,norm\n"
        << "A,0,0,1,10\nA,0,1,2,20\nA,0,2,3,30\nA,1,0,4,40\nA,1,1,5,50\n"
        << "A,2,0,6,60\nA,2,2,7,70\nA,2,3,8,80\nB,0,0,9,90\n";
  }
  TraceTable expected;
  expected.metrics = {"loss", "norm"};
  expected.add_run("A", rows({{0, 1.0}, {1, 2.0}, {2, 3.0}}));
  expected.add_run("A", rows({{0, 4.0}, {1, 5.0}}));
  expected.add_run("A", rows({{0, 6.0}, {2, 7.0}, {3, 8.0}}));
  expected.add_run("B", rows({{0, 9.0}}));
  const TraceTable read = read_trace_table(dir.path() / "traces.csv");
  EXPECT_EQ(read.metrics, expected.metrics);
  EXPECT_EQ(read.methods, expected.methods);
  EXPECT_EQ(read.data, expected.data);
}

TEST(TraceTable, MalformedCsvNamesFileAndLine) {
  TempDir dir;
  auto expect_error = [&](const std::string& text, const std::string& fragment) {
    {
      std::ofstream out(dir.path() / "traces.csv");
      out << text;
    }
    try {
      read_trace_table(dir.path() / "traces.csv");
      FAIL() << "expected an error for: " << text;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  expect_error("", "empty file");
  expect_error("seed,method,iteration,loss\n", ":1: expected the header");
  expect_error("method,seed,iteration,loss\nA,0,0,1\nA,0,1,x\n", "traces.csv:3: 'x' is not a number");
  expect_error("method,seed,iteration,loss\nA,0,0,1,2\n", "traces.csv:2: expected 4 columns, found 5");
  expect_error("method,seed,iteration,loss\nA,0,1,1\nA,0,1,2\n", "traces.csv:3: iterations of a run must increase");
  expect_error("method,seed,iteration,loss\n", "no trace rows");
  EXPECT_THROW(read_trace_table(dir.path() / "missing.csv"), Error);
}

TEST(Plots, BandsAndFiguresFromATable) {
  TempDir dir;
  TraceTable t;
  t.metrics = {"train_loss", "test_accuracy", "bits_sent"};
  for (int seed = 0; seed < 5; ++seed) {
    std::vector<TraceRow> run;
    for (Index k = 0; k <= 10; ++k) {
      run.push_back({k, {1.0 / (1.0 + static_cast<double>(k + seed)), 0.5 + 0.01 * static_cast<double>(k), 32.0 * static_cast<double>(k)}});
    }
    t.add_run("M", run);
  }
  PlotStyle style;
  style.title = "unit";
  write_bands(dir.path(), t, style);
  std::ifstream bands(dir.path() / "bands.csv");
  std::string header, first;
  std::getline(bands, header);
  std::getline(bands, first);
  EXPECT_EQ(header, "method,metric,iteration,seeds,mean,median,lower,upper,q_hp");
  EXPECT_EQ(first.substr(0, 20), "M,train_loss,0,5,0.4");  // mean of 1, 1/2, …, 1/5 = 0.4567
  GnuplotRender render(dir.path() / "plots");
  add_plots(render, t, style);
  const auto images = render.wait();
  // train loss and test accuracy, each also against bits (the runs communicate): 4 figures.
  EXPECT_EQ(images.size(), 8u);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "plots/train_loss_vs_bits.png"));
}

}  // namespace
}  // namespace signopt::experiment
