#pragma once
// Sensitivity plots of a [tuning] study: for each parameter some [[method]] block sweeps, one
// figure of the tuning score against that parameter, one curve per block that sweeps it (its
// other swept parameters held at their chosen values), with the band of the runs' values across
// the tuning seeds (the summary's band quantiles) shaded and the chosen setting circled.
// RENDER_DIR/sensitivity-PARAM.{dat,gp,png,svg}. Combinations whose score is not finite (their
// runs diverged) leave a gap.
#include <string>
#include <vector>

#include "signopt/experiment/config.hpp"
#include "signopt/experiment/gnuplot_figure.hpp"
#include "signopt/experiment/tuning_selection.hpp"

namespace signopt::experiment {

// The band of one combination's run values: the [low, high] quantiles (NaN when not finite).
std::pair<double, double> score_band(const CombinationScore& score, double low, double high);

// The file stem of a parameter's figure: "sensitivity-" and the name, any character other than
// a letter, digit, '-' or '_' replaced by '_'.
std::string sensitivity_stem(const std::string& parameter);

// Returns the parameters left without a figure: those none of whose combinations scored a
// finite value (gnuplot has nothing to draw).
std::vector<std::string> add_sensitivity_plots(GnuplotRender& render,
                                               const ExperimentConfig& config,
                                               const std::vector<BlockSelection>& selections);

}  // namespace signopt::experiment
