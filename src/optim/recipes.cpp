#include "signopt/optim/recipes.hpp"

namespace signopt::optim::recipes {

std::vector<ParamSpec> step_size_params(double default_lr) {
  return {ParamSpec::real("lr", default_lr, 0.0, true, kInf, true, "step size gamma (> 0)"),
          ParamSpec::choice("schedule", "constant", {"constant", "inv-sqrt", "step"},
                            "gamma_k = gamma, gamma/sqrt(k) or gamma*decay-rate^floor((k-1)/"
                            "decay-every)"),
          ParamSpec::real("decay-rate", 0.5, 0.0, true, 1.0, false,
                          "factor of the step decay schedule"),
          ParamSpec::integer("decay-every", 1000, 1, 1'000'000'000'000,
                             "period of the step decay schedule, in iterations")};
}

StepSizeSchedule step_size_schedule(const ResolvedParams& p) {
  StepSizeSchedule s;
  s.kind = step_size_kind_from_string(p.choice("schedule"));
  s.gamma = p.number("lr");
  s.decay_rate = p.number("decay-rate");
  s.decay_every = p.integer("decay-every");
  s.validate();
  return s;
}

ParamSpec beta_param(std::string name, double default_value, std::string description) {
  return ParamSpec::real(std::move(name), default_value, 0.0, false, 1.0, true,
                         std::move(description));
}

BatchSchedule MinibatchSignSgd::batches(const ResolvedParams& p) {
  BatchSchedule b;
  b.kind = batch_kind_from_string(p.choice("batch-schedule"));
  b.batch = p.integer("batch");
  b.ratio = p.number("batch-ratio");
  b.max_batch = p.was_given("batch-max") ? p.integer("batch-max")
                                         : std::max<Index>(p.integer("batch-max"), b.batch);
  b.validate();
  return b;
}

}  // namespace signopt::optim::recipes
