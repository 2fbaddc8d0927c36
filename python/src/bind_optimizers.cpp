// Optimizers: every recipe of the registry, stepping a numpy array in place.
//
// opt.step(x, g) runs the recipe's compiled chain directly on the arrays' memory (the same
// Chain::apply the runner's Optimizer::update calls), so it is bit-identical to the C++ recipe.
#include <pybind11/stl.h>

#include <functional>
#include <span>
#include <type_traits>

#include "bindings.hpp"
#include "numpy_views.hpp"
#include "signopt/core/error.hpp"
#include "signopt/optim/method_registry.hpp"
#include "signopt/optim/recipes.hpp"

namespace signopt::python {
namespace {

using optim::ComposedOptimizer;

// A named state vector of a recipe's chain. The binding restores saved state through it: the
// transforms expose their vectors read-only, and the chain is owned (non-const) by the optimizer
// this binding owns, so writing through it is well defined; sizes are checked before.
struct StateVector {
  std::string name;
  Vector* vector;
};

template <typename T>
void collect_state(T& t, std::vector<StateVector>& out) {
  if constexpr (std::is_same_v<T, optim::Ema> || std::is_same_v<T, optim::Trace> ||
                std::is_same_v<T, optim::LionDirection>) {
    out.push_back({"momentum", const_cast<Vector*>(&t.state())});
  } else if constexpr (std::is_same_v<T, optim::AdamDirection>) {
    out.push_back({"first_moment", const_cast<Vector*>(&t.first_moment())});
    out.push_back({"second_moment", const_cast<Vector*>(&t.second_moment())});
  } else if constexpr (std::is_same_v<T, optim::ErrorFeedbackScaledSign>) {
    out.push_back({"error", const_cast<Vector*>(&t.residual())});
  }
  // Sign, scaling, clipping, normalisation and weight decay carry nothing across steps.
}

template <typename ChainType, std::size_t... I>
std::vector<StateVector> chain_state(ChainType& chain, std::index_sequence<I...>) {
  std::vector<StateVector> out;
  (collect_state(chain.template get<I>(), out), ...);
  return out;
}

optim::Params to_params(const py::kwargs& kwargs) {
  optim::Params p;
  for (const auto& [key, value] : kwargs) {
    const auto name = key.cast<std::string>();
    if (py::isinstance<py::bool_>(value))
      throw py::type_error("parameter " + name + " must be a number or a word");
    if (py::isinstance<py::int_>(value)) {
      p.emplace(name, value.cast<long long>());
    } else if (py::isinstance<py::float_>(value)) {
      p.emplace(name, value.cast<double>());
    } else if (py::isinstance<py::str>(value)) {
      p.emplace(name, value.cast<std::string>());
    } else {
      throw py::type_error("parameter " + name + " must be a number or a word");
    }
  }
  return p;
}

class PythonOptimizer {
 public:
  PythonOptimizer(const std::string& name, optim::Params params) : params_(std::move(params)) {
    base_ = optim::make_optimizer(name, params_);
    attach(optim::recipes::AllRecipes{});
  }

  // New hyperparameters (a torch LR scheduler's lr), keeping the state and the iteration: the
  // recipe is rebuilt and its freshly sized state vectors are swapped with the current ones, so
  // the state keeps its memory (views from state_views() stay valid). O(d) once per change.
  void set_params(optim::Params params) {
    auto fresh = optim::make_optimizer(name(), params);
    const Index d = base_->dim();
    auto old_state = state_();
    std::swap(base_, fresh);  // fresh now holds the old optimizer, kept alive until the swap
    attach(optim::recipes::AllRecipes{});
    if (d > 0) {
      size_state_(d);
      auto new_state = state_();
      for (std::size_t i = 0; i < new_state.size(); ++i) {
        new_state[i].vector->swap(*old_state[i].vector);
      }
    }
    params_ = std::move(params);
  }

  const std::string name() const { return base_->name(); }
  Index iteration() const { return k_; }
  Index dim() const { return base_->dim(); }
  const optim::Params& params() const { return params_; }

  void reset(const py::object& x_or_dim) {
    size_state_(py::isinstance<py::int_>(x_or_dim) ? x_or_dim.cast<Index>()
                                                   : to_vector(x_or_dim, "x").size());
    k_ = 0;
  }

  void step(const py::object& x_obj, const py::object& g_obj) {
    auto x = writable_vector(x_obj, "x");
    const auto g = readable_vector(g_obj, "g");
    const Index d = x.shape(0);
    if (g.shape(0) != d) {
      throw py::value_error("x has " + std::to_string(d) + " entries but g has " +
                            std::to_string(g.shape(0)));
    }
    if (base_->dim() == 0) {
      size_state_(d);  // first step: zero state of x's size
    } else if (base_->dim() != d) {
      throw py::value_error(
          "optimizer '" + name() + "' was set up for d = " + std::to_string(base_->dim()) +
          ", got x of size " + std::to_string(d) + " (call reset(x) for a new problem)");
    }
    ++k_;
    double* xp = x.mutable_data();
    const double* gp = g.data();
    if (d >= kReleaseGilFrom) {
      py::gil_scoped_release release;
      apply_(k_, gp, xp, d);
    } else {
      apply_(k_, gp, xp, d);
    }
  }

  // One step on an iterate held in pieces (a model's parameter tensors, as numpy views of their
  // memory): xs[i] is updated in place with gradient gs[i]; gs[i] = None leaves piece i and its
  // state alone. The state covers all pieces, in order (d = their total size). Every array is
  // float32 or float64, one dtype for all, C-contiguous, of any shape; nothing is copied.
  // Returns false (and takes no step) when every gradient is None.
  bool step_parts(const py::list& xs, const py::list& gs) {
    if (xs.size() != gs.size() || xs.empty()) {
      throw py::value_error(
          "step_parts needs as many gradients as pieces (and at least one), got " +
          std::to_string(xs.size()) + " pieces and " + std::to_string(gs.size()) + " gradients");
    }
    const auto first = py::reinterpret_borrow<py::object>(xs[0]);
    if (!py::isinstance<py::array>(first)) throw py::type_error("piece 0 must be a numpy array");
    const bool single = py::reinterpret_borrow<py::array>(first).dtype().is(py::dtype::of<float>());
    return single ? step_pieces<float>(xs, gs) : step_pieces<double>(xs, gs);
  }

  // The state vectors as writeable float64 views of the optimizer's own memory (owner keeps the
  // optimizer alive). Empty before the first step or reset.
  static py::dict state_views(const py::object& self) {
    auto& o = self.cast<PythonOptimizer&>();
    py::dict out;
    if (o.base_->dim() == 0) return out;
    for (const auto& s : o.state_()) {
      out[py::str(s.name)] =
          py::array_t<double>({static_cast<py::ssize_t>(s.vector->size())}, s.vector->data(), self);
    }
    return out;
  }

  py::dict state_dict() const {
    py::dict out;
    out["name"] = name();
    py::dict params;
    for (const auto& [k, v] : params_)
      params[py::str(k)] = v.is_number() ? py::cast(v.number()) : py::cast(v.text());
    out["params"] = params;
    out["iteration"] = k_;
    out["dim"] = base_->dim();
    for (const auto& s : state_()) out[py::str(s.name)] = to_numpy(Vector(*s.vector));
    return out;
  }

  void load_state_dict(const py::dict& state) {
    const auto saved_name = state["name"].cast<std::string>();
    if (saved_name != name()) {
      throw py::value_error("state of optimizer '" + saved_name + "' cannot be loaded into '" +
                            name() + "'");
    }
    const auto d = state["dim"].cast<Index>();
    const auto k = state["iteration"].cast<Index>();
    if (k < 0) throw py::value_error("iteration must be >= 0");
    size_state_(d);
    for (const auto& s : state_()) {
      if (!state.contains(s.name)) throw py::value_error("state has no '" + s.name + "' vector");
      const Vector v = to_vector(state[py::str(s.name)], s.name.c_str());
      if (v.size() != d) {
        throw py::value_error("state vector '" + s.name + "' has " + std::to_string(v.size()) +
                              " entries, expected dim = " + std::to_string(d));
      }
      *s.vector = v;
    }
    k_ = k;
  }

  double step_size(Index k) const { return base_->step_size(k); }
  Index batch_size(Index k) const { return base_->batch_size(k); }

 private:
  template <typename Real>
  static std::string piece_problem(const py::handle& obj, const char* what, std::size_t i,
                                   bool writeable) {
    const std::string name = std::string(what) + " " + std::to_string(i);
    if (!py::isinstance<py::array>(obj)) return name + " must be a numpy array";
    const auto a = py::reinterpret_borrow<py::array>(obj);
    if (!a.dtype().is(py::dtype::of<Real>())) {
      return name + " has dtype " + std::string(py::str(a.dtype())) + ", expected " +
             (std::is_same_v<Real, float> ? "float32" : "float64") +
             " (float32 or float64, one dtype for all pieces)";
    }
    if (!(a.flags() & py::array::c_style)) return name + " must be C-contiguous";
    if (writeable && !a.writeable()) return name + " is read-only";
    return {};
  }

  template <typename Real>
  bool step_pieces(const py::list& xs, const py::list& gs) {
    std::vector<optim::Segment<Real>> pieces;
    pieces.reserve(xs.size());
    Index offset = 0, present = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      if (auto problem = piece_problem<Real>(xs[i], "piece", i, true); !problem.empty())
        throw py::type_error(problem);
      auto x = py::reinterpret_borrow<py::array>(xs[i]);
      const auto size = static_cast<Index>(x.size());
      if (!gs[i].is_none()) {
        if (auto problem = piece_problem<Real>(gs[i], "gradient", i, false); !problem.empty())
          throw py::type_error(problem);
        auto g = py::reinterpret_borrow<py::array>(gs[i]);
        if (static_cast<Index>(g.size()) != size) {
          throw py::value_error("gradient " + std::to_string(i) + " has " +
                                std::to_string(g.size()) + " entries, its piece " +
                                std::to_string(size));
        }
        pieces.push_back({static_cast<const Real*>(g.data()), static_cast<Real*>(x.mutable_data()),
                          offset, size});
        present += size;
      }
      offset += size;
    }
    if (base_->dim() == 0) {
      if (offset == 0) throw py::value_error("the pieces hold no entries");
      size_state_(offset);
    } else if (base_->dim() != offset) {
      throw py::value_error("optimizer '" + name() +
                            "' was set up for d = " + std::to_string(base_->dim()) +
                            ", the pieces hold " + std::to_string(offset) + " entries");
    }
    if (pieces.empty()) return false;
    ++k_;
    const std::span<const optim::Segment<Real>> view(pieces);
    auto run = [&] {
      if constexpr (std::is_same_v<Real, float>) {
        apply_float_(k_, view);
      } else {
        apply_double_(k_, view);
      }
    };
    if (present >= kReleaseGilFrom) {
      py::gil_scoped_release release;
      run();
    } else {
      run();
    }
    return true;
  }

  // Below this d a step costs less than handing the GIL over and back.
  static constexpr Index kReleaseGilFrom = 50'000;

  template <typename... Rs>
  void attach(optim::recipes::RecipeList<Rs...>) {
    apply_ = nullptr;
    (try_attach<Rs>() || ...);
    if (!apply_)
      fail("optimizer '{}': no compiled chain found for it (binding out of date)", name());
  }

  template <typename Recipe>
  bool try_attach() {
    if (Recipe::name != base_->name()) return false;
    using Composed = ComposedOptimizer<typename Recipe::ChainType>;
    auto* composed = dynamic_cast<Composed*>(base_.get());
    if (composed == nullptr) return false;
    apply_ = [composed](Index k, const double* g, double* x, Index d) {
      composed->chain().apply(k, g, x, d);
    };
    size_state_ = [composed](Index d) { composed->reset_for_updates(d); };
    apply_double_ = [composed](Index k, std::span<const optim::Segment<double>> pieces) {
      composed->chain().apply(k, pieces);
    };
    apply_float_ = [composed](Index k, std::span<const optim::Segment<float>> pieces) {
      composed->chain().apply(k, pieces);
    };
    state_ = [composed] {
      return chain_state(composed->chain(), std::make_index_sequence<Recipe::ChainType::size>{});
    };
    return true;
  }

  optim::Params params_;
  std::unique_ptr<optim::Optimizer> base_;
  std::function<void(Index, const double*, double*, Index)> apply_;
  // Sizes the state without the runner's gradient buffer (the binding never calls step()).
  std::function<void(Index)> size_state_;
  std::function<void(Index, std::span<const optim::Segment<double>>)> apply_double_;
  std::function<void(Index, std::span<const optim::Segment<float>>)> apply_float_;
  std::function<std::vector<StateVector>()> state_;
  Index k_ = 0;
};

// The C++ reference the tests compare opt.step with: Optimizer::update on Eigen vectors, as the
// runner steps a run. Returns the iterate after each step (steps × d).
py::array_t<double> reference_updates(
    const std::string& name, const py::object& x0,
    const py::array_t<double, py::array::c_style | py::array::forcecast>& grads,
    const py::kwargs& kwargs) {
  if (grads.ndim() != 2) throw py::value_error("grads must be steps x d");
  auto opt = optim::make_optimizer(name, to_params(kwargs));
  Vector x = to_vector(x0, "x0");
  const Index steps = grads.shape(0), d = grads.shape(1);
  if (x.size() != d) throw py::value_error("x0 and grads differ in d");
  opt->reset(x);
  py::array_t<double> out({steps, d});
  Vector g(d);
  for (Index k = 0; k < steps; ++k) {
    std::copy(grads.data(k, 0), grads.data(k, 0) + d, g.data());
    opt->update(k + 1, g, x);
    std::copy(x.data(), x.data() + d, out.mutable_data(k, 0));
  }
  return out;
}

}  // namespace

void bind_optimizers(py::module_& m) {
  py::class_<PythonOptimizer>(m, "Optimizer",
                              "A recipe of the registry (signopt.optimizer(name, lr=..., ...)); "
                              "step(x, g) updates x in place.")
      .def_property_readonly("name", &PythonOptimizer::name)
      .def_property_readonly("iteration", &PythonOptimizer::iteration,
                             "Steps taken (k of the last step)")
      .def_property_readonly("dim", &PythonOptimizer::dim,
                             "d set by the first step or reset (0 before)")
      .def("reset", &PythonOptimizer::reset, py::arg("x_or_dim"),
           "Zeroes the state for a new run of dimension d (an int or an array of size d)")
      .def("step", &PythonOptimizer::step, py::arg("x"), py::arg("g"),
           "One iteration with gradient estimate g: x <- x - update(g), in place. x must be a "
           "writeable C-contiguous float64 array; g may be any real 1-D array (float64 is read "
           "without a copy).")
      .def("step_parts", &PythonOptimizer::step_parts, py::arg("xs"), py::arg("gs"),
           "One iteration on an iterate held in pieces: xs[i] (arrays updated in place) with "
           "gradients gs[i] (None: piece i and its state are left alone). float32 or float64, one "
           "dtype for all, C-contiguous, any shape; the state covers all pieces in order. float32 "
           "is computed in float64 (float64 state) and rounded once per step. Returns False "
           "without stepping when every gradient is None.")
      .def("state_views", &PythonOptimizer::state_views,
           "The state vectors as writeable float64 numpy views of the optimizer's memory")
      .def(
          "set_params",
          [](PythonOptimizer& o, const py::kwargs& kwargs) { o.set_params(to_params(kwargs)); },
          "New parameters for the same recipe, keeping state, its memory and the iteration")
      .def_property_readonly("params",
                             [](const PythonOptimizer& o) {
                               py::dict out;
                               for (const auto& [k, v] : o.params())
                                 out[py::str(k)] =
                                     v.is_number() ? py::cast(v.number()) : py::cast(v.text());
                               return out;
                             })
      .def("step_size", &PythonOptimizer::step_size, py::arg("k"), "γ_k")
      .def("batch_size", &PythonOptimizer::batch_size, py::arg("k"), "B_k (minibatch-signsgd)")
      .def(
          "state_dict", &PythonOptimizer::state_dict,
          "name, params, iteration, dim and copies of the state vectors (momentum, moments, error)")
      .def("load_state_dict", &PythonOptimizer::load_state_dict, py::arg("state"),
           "Restores a state_dict() of the same recipe: the next step continues from it")
      .def("__repr__", [](const PythonOptimizer& o) {
        return fmt::format("<signopt.Optimizer {} iteration={} dim={}>", o.name(), o.iteration(),
                           o.dim());
      });

  m.def(
      "optimizer",
      [](const std::string& name, const py::kwargs& kwargs) {
        return PythonOptimizer(name, to_params(kwargs));
      },
      py::arg("name"),
      "An optimizer by registry name with its parameters, e.g. optimizer('m-signsgd', lr=1e-3, "
      "beta=0.9)");
  m.def(
      "methods",
      [] {
        py::list out;
        for (const auto& info : optim::method_catalog()) {
          py::dict d;
          d["name"] = info.name;
          d["description"] = info.description;
          d["source"] = info.source;
          py::list params;
          for (const auto& p : info.parameters) {
            py::dict pd;
            pd["name"] = p.name;
            pd["default"] = p.default_text();
            pd["valid"] = p.valid_text();
            pd["description"] = p.description;
            params.append(pd);
          }
          d["parameters"] = params;
          out.append(d);
        }
        return out;
      },
      "The registry: every recipe with its update rule, source and parameters");
  m.def("_reference_updates", &reference_updates, py::arg("name"), py::arg("x0"), py::arg("grads"),
        "Test hook: the iterates of Optimizer::update on Eigen vectors (the runner's path)");
}

}  // namespace signopt::python
