#include "signopt/experiment/estimate_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "signopt/core/atomic_file.hpp"
#include "signopt/core/error.hpp"
#include "signopt/core/statistics.hpp"
#include "signopt/experiment/gnuplot_figure.hpp"
#include "signopt/experiment/run_result.hpp"

namespace signopt::experiment {
namespace {

namespace fs = std::filesystem;

// Points drawn in a scatter plot at most (the CSV keeps every pair).
constexpr std::size_t kMaxDrawn = 20000;

nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json fit_json(const estimate::EnvelopeFit& f) {
  return {{"L0", f.L0},
          {"L1", f.L1},
          {"reference_grad_norm", f.reference_norm},
          {"objective", f.objective},
          {"pairs", f.points},
          {"allowed_above", f.allowed_above},
          {"above", f.above},
          {"support", f.support}};
}

std::string fit_row(const std::string& name, const estimate::EnvelopeFit& f, std::size_t width) {
  return fmt::format("  {:<{}} {:>12.6g} {:>12.6g}   ({} of {} pairs above; support: {})\n", name,
                     width, f.L0, f.L1, f.above, f.points, f.support);
}

std::string alphas_text(const std::vector<double>& alphas) {
  std::string s;
  for (double a : alphas) s += (s.empty() ? "" : ", ") + fmt::format("{:g}", a);
  return s;
}

}  // namespace

std::string write_smoothness_report(const fs::path& dir, const ExperimentConfig& config,
                                    const SmoothnessStudy& study, bool plots) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  require(!ec, "cannot create output directory {}: {}", dir.string(), ec.message());
  write_file_atomically(dir / "smoothness_pairs.csv", [&](std::ostream& out) {
    out << "method,seed,step,alpha,grad_norm2,smoothness,distance\n";
    for (const auto& p : study.pairs) {
      out << study.methods[p.method] << ',' << p.seed << ',' << p.pair.step << ','
          << format_number(p.pair.alpha) << ',' << format_number(p.pair.grad_norm) << ','
          << format_number(p.pair.smoothness) << ',' << format_number(p.pair.distance) << '\n';
    }
  });
  nlohmann::json js;
  js["config"] = config.source.string();
  js["methods"] = study.methods;
  js["skipped_methods"] = study.skipped;
  js["notes"] = study.notes;
  js["steps"] = study.steps;
  js["seeds"] = study.seeds;
  js["alphas"] = study.alphas;
  js["pairs"] = study.pairs.size();
  js["skipped_pairs"] = study.skipped_pairs;
  js["max_smoothness"] = study.max_smoothness;
  js["outlier_fraction"] = study.outlier_fraction;
  js["fit"] = fit_json(study.fit);
  js["fit_above_all"] = fit_json(study.strict_fit);
  for (std::size_t m = 0; m < study.methods.size(); ++m) {
    js["per_method"][study.methods[m]] = fit_json(study.method_fits[m]);
  }
  if (study.analytic) {
    js["analytic"] = {
        {"L0", study.analytic->L0},
        {"L1", study.analytic->L1},
        {"L", study.analytic->L ? nlohmann::json(*study.analytic->L) : nlohmann::json(nullptr)},
        {"note", study.analytic->note}};
    std::size_t above = 0;
    for (const auto& p : study.pairs) {
      above +=
          p.pair.smoothness > study.analytic->L0 + study.analytic->L1 * p.pair.grad_norm ? 1 : 0;
    }
    js["analytic"]["pairs_above"] = above;
  } else {
    js["analytic"] = nullptr;
  }
  write_file_atomically(dir / "smoothness_fit.json", js.dump(2) + "\n");

  std::vector<double> g;
  for (const auto& p : study.pairs) g.push_back(p.pair.grad_norm);
  const auto [gmin, gmax] = std::minmax_element(g.begin(), g.end());
  std::ostringstream text;
  text << fmt::format(
      "Smoothness along {} seed(s) × {} steps of {} (α ∈ {{{}}}): {} pairs", study.seeds,
      study.steps,
      [&] {
        std::string s;
        for (const auto& m : study.methods) s += (s.empty() ? "" : ", ") + m;
        return s;
      }(),
      alphas_text(study.alphas), study.pairs.size());
  if (study.skipped_pairs > 0)
    text << fmt::format(" ({} skipped: step too short to measure)", study.skipped_pairs);
  text << '\n';
  for (const auto& s : study.skipped) text << "  not driven: " << s << '\n';
  for (const auto& n : study.notes) text << "  note: " << n << '\n';
  text << fmt::format("‖∇f(x)‖₂ over the pairs: median {:.6g}, range [{:.6g}, {:.6g}]\n",
                      study.fit.reference_norm, *gmin, *gmax);
  std::size_t width = 26;
  for (const auto& m : study.methods) width = std::max(width, m.size() + 4);
  text << fmt::format(
      "  {:<{}} {:>12} {:>12}   (smallest L0 + L1·g at g = {:.6g} with the line "
      "above the pairs)\n",
      "", width, "L0", "L1", study.fit.reference_norm);
  text << fit_row(fmt::format("envelope, q = {:g}", study.outlier_fraction), study.fit, width);
  text << fit_row("envelope, all pairs", study.strict_fit, width);
  if (study.analytic) {
    text << fmt::format("  {:<{}} {:>12.6g} {:>12.6g}   ({}; {} of {} pairs above)\n", "analytic",
                        width, study.analytic->L0, study.analytic->L1, study.analytic->note,
                        js["analytic"]["pairs_above"].get<std::size_t>(), study.pairs.size());
  } else {
    text << "  analytic: none known for this problem\n";
  }
  if (study.methods.size() > 1) {
    text << fmt::format("  per method (q = {:g}):\n", study.outlier_fraction);
    for (std::size_t m = 0; m < study.methods.size(); ++m) {
      if (study.method_fits[m].points > 0) {
        text << fit_row("  " + study.methods[m], study.method_fits[m], width);
      }
    }
  }
  text << fmt::format("largest L̂ (an estimate of plain L from below): {:.6g}\n",
                      study.max_smoothness);

  if (plots) {
    const fs::path plot_dir = dir / "plots";
    fs::create_directories(plot_dir);
    const std::size_t every = (study.pairs.size() + kMaxDrawn - 1) / kMaxDrawn;
    double lmin = std::numeric_limits<double>::infinity(), lmax = 0.0;
    double gpos = std::numeric_limits<double>::infinity();
    for (const auto& p : study.pairs) {
      if (p.pair.smoothness > 0) lmin = std::min(lmin, p.pair.smoothness);
      lmax = std::max(lmax, p.pair.smoothness);
      if (p.pair.grad_norm > 0) gpos = std::min(gpos, p.pair.grad_norm);
    }
    const bool log_x = std::isfinite(gpos) && *gmax / gpos > 100.0;
    const bool log_y = std::isfinite(lmin) && lmax / lmin > 100.0;
    write_file_atomically(plot_dir / "smoothness.dat", [&](std::ostream& out) {
      out << "# grad_norm2 smoothness, one block per method (gnuplot index)";
      if (every > 1) out << "; every " << every << "-th pair";
      out << '\n';
      for (std::size_t m = 0; m < study.methods.size(); ++m) {
        out << "# " << study.methods[m] << '\n';
        std::size_t i = 0;
        for (const auto& p : study.pairs) {
          if (p.method != m || (i++ % every) != 0) continue;
          if ((log_x && !(p.pair.grad_norm > 0)) || (log_y && !(p.pair.smoothness > 0))) continue;
          out << format_number(p.pair.grad_norm) << ' ' << format_number(p.pair.smoothness) << '\n';
        }
        out << "\n\n";
      }
    });
    const double top = 1.25 * std::max(lmax, study.fit.L0 + study.fit.L1 * *gmax);
    std::ostringstream setup;
    setup << "set key below box opaque\nset grid lc rgb '#dddddd'\nset samples 400\n"
          << "set xlabel \"||∇f(x^k)||_2\"\nset ylabel \"L̂ = ||∇f(x_α) − ∇f(x^k)||_2 / ||x_α − "
             "x^k||_2\"\n"
          << "set title \"" << gnuplot_text(config.name) << ": smoothness along trajectories"
          << (every > 1 ? fmt::format(" (every {}-th pair drawn)", every) : "") << "\"\n"
          << (log_x ? "set logscale x\n" : "") << (log_y ? "set logscale y\n" : "")
          << fmt::format("set xrange [{}:{}]\n", log_x ? gpos : 0.0, *gmax * (log_x ? 1.5 : 1.05))
          << fmt::format("set yrange [{}:{}]\n", log_y ? lmin / 1.5 : 0.0, top)
          << fmt::format("fit_q(x) = {:.17g} + {:.17g}*x\nfit_all(x) = {:.17g} + {:.17g}*x\n",
                         study.fit.L0, study.fit.L1, study.strict_fit.L0, study.strict_fit.L1);
    if (study.analytic) {
      setup << fmt::format("analytic(x) = {:.17g} + {:.17g}*x\n", study.analytic->L0,
                           study.analytic->L1);
    }
    std::string plot = "plot ";
    for (std::size_t m = 0; m < study.methods.size(); ++m) {
      plot += fmt::format(
          "'smoothness.dat' index {} using 1:2 with points pt 7 ps 0.35 lc {} title \"{}\", ", m,
          m + 1, gnuplot_text(study.methods[m]));
    }
    plot += fmt::format(
        "fit_q(x) with lines lw 2.5 lc rgb 'black' title \"envelope, q = {:g}: L0 = {:.4g}, L1 = "
        "{:.4g}\", "
        "fit_all(x) with lines lw 1.5 dt 2 lc rgb 'black' title \"envelope above all: L0 = {:.4g}, "
        "L1 = {:.4g}\"",
        study.outlier_fraction, study.fit.L0, study.fit.L1, study.strict_fit.L0,
        study.strict_fit.L1);
    if (study.analytic) {
      plot += fmt::format(
          ", analytic(x) with lines lw 2 dt 3 lc rgb '#cc0000' title \"analytic: L0 = {:.4g}, "
          "L1 = {:.4g}\"",
          study.analytic->L0, study.analytic->L1);
    }
    render_gnuplot_figure(plot_dir, {"smoothness", setup.str(), plot});
  }
  text << fmt::format("Outputs: {0}/smoothness_pairs.csv, {0}/smoothness_fit.json{1}\n",
                      dir.string(),
                      plots ? fmt::format(", {}/plots/smoothness.png|svg", dir.string()) : "");
  return text.str();
}

std::string write_noise_report(const fs::path& dir, const ExperimentConfig& config,
                               const NoiseStudy& study, bool plots) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  require(!ec, "cannot create output directory {}: {}", dir.string(), ec.message());
  write_file_atomically(dir / "noise_coordinates.csv", [&](std::ostream& out) {
    out << "iteration,coordinate,mean,moment_kappa,sigma,tail_index,tail_index_se,positive,"
           "negative,"
           "zero,sign_p,tail_ks,tail_p\n";
    for (const auto& point : study.points) {
      for (const auto& c : point.analysis.coordinates) {
        out << point.iteration << ',' << c.coordinate << ',' << format_number(c.mean) << ','
            << format_number(c.moment) << ',' << format_number(c.sigma) << ','
            << format_number(c.tail_index) << ',' << format_number(c.tail_index_se) << ','
            << c.symmetry.positive << ',' << c.symmetry.negative << ',' << c.symmetry.zero << ','
            << format_number(c.symmetry.sign_p_value) << ','
            << format_number(c.symmetry.tail_ks_statistic) << ','
            << format_number(c.symmetry.tail_p_value) << '\n';
      }
    }
  });

  std::ostringstream text;
  nlohmann::json js;
  js["config"] = config.source.string();
  js["oracle"] = study.oracle;
  js["method"] = study.method;
  js["seed"] = study.seed;
  js["dimension"] = study.dim;
  js["coordinates_analysed"] = study.coordinates.size();
  const double scale_to_d =
      static_cast<double>(study.dim) / static_cast<double>(study.coordinates.size());
  for (const auto& point : study.points) {
    const auto& a = point.analysis;
    double max_bias = 0.0;
    for (const auto& c : a.coordinates) max_bias = std::max(max_bias, std::abs(c.mean));
    nlohmann::json p;
    p["iteration"] = point.iteration;
    p["samples"] = a.samples;
    p["kappa"] = a.kappa;
    p["kappa_given"] = study.kappa_given;
    p["hill_k"] = a.hill_k;
    p["block_k"] = a.block_k;
    p["tail_index"] = {
        {"finite", a.finite_tail},
        {"unbounded", a.unbounded_tail},
        {"undefined", a.undefined_tail},
        {"median", number_or_null(a.tail_median)},
        {"q10", number_or_null(a.tail_q10)},
        {"q90", number_or_null(a.tail_q90)},
        {"min", number_or_null(a.tail_min)},
        {"at_most_2", a.tail_at_most_2},
        {"at_most_kappa", a.tail_at_most_kappa},
        {"block_sum_median", number_or_null(a.block_tail_median)},
        {"lower", number_or_null(a.tail_lower)},
        {"kappa_allowed", a.kappa_allowed ? nlohmann::json(*a.kappa_allowed) : nlohmann::json()}};
    if (a.kappa_ruled_out) {
      p["sigma"] = nullptr;  // κ is not below the tail index: the moment looks infinite
    } else {
      p["sigma"] = {{"median", a.sigma_median},
                    {"l1_analysed", a.sigma_l1},
                    {"kappa_norm_analysed", a.sigma_kappa},
                    {"l1_estimate", a.sigma_l1 * scale_to_d},
                    {"kappa_norm_estimate", a.sigma_kappa * std::pow(scale_to_d, 1.0 / a.kappa)}};
    }
    p["symmetry"] = {{"sign_rejected_5pct", a.sign_rejected},
                     {"tail_balance_rejected_5pct", a.tail_balance_rejected},
                     {"min_p_bonferroni", a.min_p_bonferroni}};
    p["max_abs_mean"] = max_bias;
    js["points"].push_back(p);

    const std::size_t m = a.coordinates.size();
    text << fmt::format(
        "Gradient noise z = g − ∇f(x) at iteration {}{}: {} draws; oracle: {}\n", point.iteration,
        point.iteration == 0 ? " (x¹)"
                             : fmt::format(" of the run of {} (seed {})", study.method, study.seed),
        a.samples, study.oracle);
    text << fmt::format(
        "  coordinates analysed: {} of {}; κ = {:.4g} ({}); Hill estimator on the k = {} largest "
        "|z| ({:.2g}% of the draws), block-sum estimator with blocks of K = {}\n",
        m, study.dim, a.kappa,
        study.kappa_given
            ? "given"
            : (a.finite_tail > 0 ? "chosen below the lower tail estimate: min(2, 1 + 0.75 (α̂ − 1))"
                                 : "default: no power tail measured"),
        a.hill_k, 100.0 * static_cast<double>(a.hill_k) / static_cast<double>(a.samples),
        a.block_k);
    if (a.finite_tail > 0) {
      text << fmt::format(
          "  tail index α̂ (Hill): median {:.3g} [10%: {:.3g}, 90%: {:.3g}], min {:.3g}\n",
          a.tail_median, a.tail_q10, a.tail_q90, a.tail_min);
      text << fmt::format(
          "  tail index α̂ (block sums, Mohammadi et al. 2015): median {:.3g} ± {:.2g} (counts when "
          "below 2 by more than twice its error); the lower estimate, {:.3g}, bounds κ{}\n",
          a.block_tail_median, a.block_tail_median_se, a.tail_lower,
          a.kappa_allowed ? fmt::format(" (κ ≤ {:.4g} with the margin)", *a.kappa_allowed)
                          : std::string(": no κ in (1, 2] (tail index ≤ 1)"));
      text << fmt::format(
          "    α̂ ≤ 2 (variance looks infinite) in {} of {} coordinates; α̂ ≤ κ = {:g} in {}{}\n",
          a.tail_at_most_2, a.finite_tail, a.kappa, a.tail_at_most_kappa,
          a.tail_at_most_kappa > 0 ? " (choose κ below the tail index)" : "");
    }
    if (a.unbounded_tail > 0) {
      text << fmt::format(
          "    {} coordinate(s) with tied largest |z| (bounded, discrete noise): α̂ = +∞\n",
          a.unbounded_tail);
    }
    if (a.undefined_tail > 0) {
      text << fmt::format(
          "    {} coordinate(s) with fewer than k + 1 non-zero values: no tail estimate\n",
          a.undefined_tail);
    }
    if (a.kappa_ruled_out) {
      text << fmt::format(
          "  σ_i = (E|z_i|^κ)^(1/κ): not reported — κ = {:.4g} is not below the estimated tail "
          "index "
          "{:.3g}, so E|z|^κ looks infinite and any finite sample moment would mislead{}\n",
          a.kappa, a.tail_lower,
          a.kappa_allowed ? fmt::format(" (use --kappa {:.3g} or less)", *a.kappa_allowed)
                          : std::string());
    } else {
      text << fmt::format(
          "  σ_i = (E|z_i|^κ)^(1/κ): median {:.6g}; ‖σ⃗‖₁ = {:.6g}, ‖σ⃗‖_κ = {:.6g}{}\n",
          a.sigma_median, a.sigma_l1 * scale_to_d,
          a.sigma_kappa * std::pow(scale_to_d, 1.0 / a.kappa),
          m < static_cast<std::size_t>(study.dim) ? " (scaled up from the analysed coordinates)"
                                                  : "");
    }
    text << fmt::format(
        "  symmetry: sign test rejects at 5% in {} of {} coordinates, tail balance in {} "
        "(about 5% expected under symmetry); Bonferroni-adjusted smallest p = {:.3g}{}\n",
        a.sign_rejected, m, a.tail_balance_rejected, a.min_p_bonferroni,
        a.min_p_bonferroni < 0.05 ? " → the noise is not symmetric"
                                  : " → no evidence against symmetry");
    text << fmt::format("  bias check: largest |mean z_i| = {:.3g}\n", max_bias);
  }
  write_file_atomically(dir / "noise_summary.json", js.dump(2) + "\n");

  if (plots) {
    const fs::path plot_dir = dir / "plots";
    fs::create_directories(plot_dir);
    for (const auto& point : study.points) {
      const auto& a = point.analysis;
      // Pool the coordinates, each scaled by its median |z| so that they are comparable.
      std::vector<double> pooled;
      std::vector<std::size_t> usable;
      for (Index j = 0; j < point.noise.cols(); ++j) {
        std::vector<double> mags(static_cast<std::size_t>(point.noise.rows()));
        for (Index s = 0; s < point.noise.rows(); ++s)
          mags[static_cast<std::size_t>(s)] = std::abs(point.noise(s, j));
        const double scale = median(mags);
        if (!(scale > 0)) continue;
        usable.push_back(static_cast<std::size_t>(j));
        for (Index s = 0; s < point.noise.rows(); ++s) pooled.push_back(point.noise(s, j) / scale);
      }
      if (pooled.empty()) continue;  // no noise to draw (e.g. an exact oracle)
      const std::string suffix = fmt::format("_k{}", point.iteration);

      // Histogram on [−10, 10] in units of the median |z|.
      constexpr int kBins = 100;
      constexpr double kRange = 10.0;
      std::vector<double> counts(kBins, 0.0);
      std::size_t outside = 0;
      for (double v : pooled) {
        if (std::abs(v) >= kRange) {
          ++outside;
          continue;
        }
        counts[static_cast<std::size_t>((v + kRange) / (2 * kRange) * kBins)] += 1.0;
      }
      const double width = 2 * kRange / kBins;
      write_file_atomically(
          plot_dir / ("noise_histogram" + suffix + ".dat"), [&](std::ostream& out) {
            out << "# bin centre, density (pooled coordinates, z_i / median|z_i|)\n";
            for (int b = 0; b < kBins; ++b) {
              out << format_number(-kRange + (b + 0.5) * width) << ' '
                  << format_number(counts[static_cast<std::size_t>(b)] /
                                   (static_cast<double>(pooled.size()) * width))
                  << '\n';
            }
          });
      GnuplotFigure hist;
      hist.stem = "noise_histogram" + suffix;
      hist.setup =
          "set grid lc rgb '#dddddd'\nset style fill solid 0.6 noborder\nset key off\n"
          "set xlabel \"z_i / median|z_i| (coordinates pooled)\"\nset ylabel 'density'\n"
          "set title \"" +
          gnuplot_text(config.name) +
          fmt::format(
              ": gradient noise at iteration {} ({:.2g}% of the values outside the range)\"\n",
              point.iteration,
              100.0 * static_cast<double>(outside) / static_cast<double>(pooled.size()));
      hist.plot =
          fmt::format("plot '{}.dat' using 1:2:({}) with boxes lc rgb '#3465a4'", hist.stem, width);
      render_gnuplot_figure(plot_dir, hist);

      // Log-log survival P(|Z| > t): pooled, the heaviest-tailed coordinate and the median one.
      std::vector<std::pair<std::string, std::vector<double>>> curves;
      std::vector<double> pooled_mags;
      for (double v : pooled) pooled_mags.push_back(std::abs(v));
      curves.emplace_back("all coordinates", std::move(pooled_mags));
      std::vector<std::pair<double, std::size_t>> by_index;
      for (std::size_t j : usable) {
        const double t = a.coordinates[j].tail_index;
        if (std::isfinite(t)) by_index.emplace_back(t, j);
      }
      std::sort(by_index.begin(), by_index.end());
      auto coordinate_curve = [&](std::size_t j, const char* what) {
        std::vector<double> mags(static_cast<std::size_t>(point.noise.rows()));
        for (Index s = 0; s < point.noise.rows(); ++s)
          mags[static_cast<std::size_t>(s)] = std::abs(point.noise(s, static_cast<Index>(j)));
        const double scale = median(mags);
        for (double& v : mags) v /= scale;
        curves.emplace_back(fmt::format("{} coordinate {} (α̂ = {:.3g})", what,
                                        a.coordinates[j].coordinate, a.coordinates[j].tail_index),
                            std::move(mags));
      };
      if (!by_index.empty()) {
        coordinate_curve(by_index.front().second, "heaviest:");
        if (by_index.size() > 2) coordinate_curve(by_index[by_index.size() / 2].second, "median:");
      }
      write_file_atomically(plot_dir / ("noise_tail" + suffix + ".dat"), [&](std::ostream& out) {
        out << "# t P(|z|/median|z| > t), one block per curve: pooled, heaviest, median "
               "coordinate\n";
        for (auto& [label, mags] : curves) {
          out << "# " << label << '\n';
          std::sort(mags.begin(), mags.end(), std::greater<>());
          // About 400 log-spaced ranks: the r-th largest value has survival r/n.
          const auto n = static_cast<double>(mags.size());
          std::size_t last = 0;
          for (int i = 0; i <= 400; ++i) {
            const auto r = static_cast<std::size_t>(std::llround(std::pow(n, i / 400.0)));
            if (r <= last || r > mags.size() || !(mags[r - 1] > 0)) continue;
            last = r;
            out << format_number(mags[r - 1]) << ' ' << format_number(static_cast<double>(r) / n)
                << '\n';
          }
          out << "\n\n";
        }
      });
      GnuplotFigure tail;
      tail.stem = "noise_tail" + suffix;
      tail.setup =
          "set grid lc rgb '#dddddd'\nset logscale xy\nset key below box opaque\n"
          "set format y '10^{%T}'\nset xlabel \"t (in units of median|z_i|)\"\n"
          "set ylabel \"P(|z_i| / median|z_i| > t)\"\n"
          "set title \"" +
          gnuplot_text(config.name) +
          fmt::format(
              ": tail of the gradient noise at iteration {} (a power tail is a straight line of "
              "slope −α)\"\n",
              point.iteration);
      std::string plot = "plot ";
      for (std::size_t c = 0; c < curves.size(); ++c) {
        plot += fmt::format("'{}.dat' index {} using 1:2 with lines lw 2 lc {} title \"{}\"{}",
                            tail.stem, c, c + 1, gnuplot_text(curves[c].first),
                            c + 1 < curves.size() ? ", " : "");
      }
      if (a.finite_tail > 0) {
        // Reference slope −α̂ (median), through the pooled curve's point at survival k/n.
        const auto& mags = curves.front().second;
        const double p_ref = static_cast<double>(a.hill_k) / static_cast<double>(a.samples);
        const auto r = std::max<std::size_t>(
            1, static_cast<std::size_t>(p_ref * static_cast<double>(mags.size())));
        const double t_ref = mags[std::min(r, mags.size()) - 1];
        if (t_ref > 0) {
          plot += fmt::format(
              ", (x >= {0} ? {1:.17g}*(x/{0:.17g})**(-{2:.17g}) : 1/0) with lines lw 1.5 dt 2 lc "
              "rgb 'black' "
              "title \"slope −{2:.3g} (median α̂)\"",
              t_ref, p_ref, a.tail_median);
        }
      }
      tail.plot = plot;
      render_gnuplot_figure(plot_dir, tail);
    }
  }
  text << fmt::format(
      "Outputs: {0}/noise_coordinates.csv, {0}/noise_summary.json{1}\n", dir.string(),
      plots ? fmt::format(", {}/plots/noise_histogram_k*.png|svg, noise_tail_k*.png|svg",
                          dir.string())
            : "");
  return text.str();
}

}  // namespace signopt::experiment
