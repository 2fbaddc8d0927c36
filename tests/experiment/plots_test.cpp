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
  t.metrics = {"train_loss", "test_accuracy", "uplink_bits"};
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

// A table with the cost columns of the trace: two methods, one of which pays 4 oracle calls
// and 8 seconds per iteration, the other 1 and 1.
TraceTable cost_table(bool communicates) {
  TraceTable t;
  t.metrics = {"train_loss", "oracle_calls", "epochs", "uplink_bits", "downlink_bits", "seconds"};
  for (int m = 0; m < 2; ++m) {
    const double calls = m == 0 ? 4.0 : 1.0, secs = m == 0 ? 8.0 : 1.0;
    for (int seed = 0; seed < 3; ++seed) {
      std::vector<TraceRow> run;
      for (Index k = 0; k <= 4; ++k) {
        const double kk = static_cast<double>(k);
        run.push_back({k, {1.0 / (1.0 + kk), calls * kk, calls * kk / 100.0, communicates ? 32.0 * kk : 0.0,
                           communicates ? 32.0 * kk : 0.0, secs * kk + 0.25 * seed}});
      }
      t.add_run(m == 0 ? "B=4" : "B=1", run);
    }
  }
  return t;
}

TEST(Plots, EveryCostAxisDrawsEachMetricAgainstItsColumn) {
  TempDir dir;
  const TraceTable t = cost_table(true);
  PlotStyle style;
  style.title = "costs";
  style.x_axes = {XAxis::OracleCalls, XAxis::Epochs, XAxis::Bits, XAxis::Seconds};
  GnuplotRender render(dir.path() / "plots");
  add_plots(render, t, style);
  const auto images = render.wait();
  EXPECT_EQ(images.size(), 8u);  // train_loss against each of the 4 axes, PNG + SVG
  // The x of each point is the column's mean over seeds at that iteration: the B=4 method's
  // iteration 2 sits at 8 oracle calls and 16.25 seconds (seeds at 16, 16.25, 16.5).
  const std::string calls = signopt::testing::read_text(dir.path() / "plots/train_loss_vs_oracle_calls.dat");
  EXPECT_NE(calls.find("\n8 0.3333333333333333 "), std::string::npos) << calls;
  const std::string secs = signopt::testing::read_text(dir.path() / "plots/train_loss_vs_seconds.dat");
  EXPECT_NE(secs.find("\n16.25 0.3333333333333333 "), std::string::npos) << secs;
  // The start (0 oracle calls) has no place on the log axis; on the linear seconds axis it has.
  EXPECT_EQ(calls.find("\n0 "), std::string::npos);
  EXPECT_NE(secs.find("\n0.25 1 "), std::string::npos) << secs;
  EXPECT_NE(signopt::testing::read_text(dir.path() / "plots/train_loss_vs_oracle_calls.gp").find("set logscale x"), std::string::npos);
}

TEST(Plots, AnAxisTheStudyCannotDrawIsRefused) {
  TraceTable t = cost_table(false);
  EXPECT_THROW(check_x_axes(t, {XAxis::Bits}), Error);  // nobody communicates
  EXPECT_NO_THROW(check_x_axes(t, {XAxis::Iterations, XAxis::Epochs, XAxis::Seconds}));
  t.metrics = {"train_loss", "oracle_calls", "uplink_bits", "downlink_bits", "seconds"};  // no data: no epochs
  try {
    check_x_axes(t, {XAxis::Epochs});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("epochs need a problem with data"), std::string::npos) << e.what();
  }
  EXPECT_THROW(x_axis_from_string("wallclock"), Error);
  for (const auto& name : x_axis_names()) EXPECT_EQ(to_string(x_axis_from_string(name)), name);
}

}  // namespace
}  // namespace signopt::experiment
