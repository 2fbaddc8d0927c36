"""signopt's optimizers as ``torch.optim.Optimizer`` subclasses (docs/pytorch.md).

Every recipe of the registry (``signopt.methods()``) becomes a class here, generated from the
table ``RECIPE_CLASSES`` below: ``SignSGD``, ``MSignSGD`` (= ``Signum``), ``EFSignSGD``, ``NSGD``,
``ClipSGD``, ``Lion``, ``Adam``, ... Their keyword arguments are the recipe's parameters with ``_``
for ``-`` (``lr``, ``beta``, ``weight_decay``, ``schedule``, ...), with the registry's defaults and
validation.

The update is signopt's compiled chain (the same code as ``signopt.optimizer`` and the CLI),
run on the tensors' own memory: each parameter and its gradient are handed to C++ as numpy views
of the tensor storage (``t.detach().numpy()``), nothing is copied. One parameter group is one
iterate: its parameters, in order, are the pieces of one vector (the norm of NSGD, clipped SGD
and EF-SignSGD is taken over the whole group), with the state in C++ (float64) and exposed in
``optimizer.state[p]`` as tensors sharing that memory, so ``state_dict()`` / ``load_state_dict()``
are torch's own. float64 parameters: bit-identical to ``signopt.optimizer`` on the group's
concatenated vector. float32 parameters: the step is computed in float64 (float64 state) from the
float32 values and the parameter is rounded to float32 once per step.
"""
import inspect

import torch

from . import _core

__all__ = ["RecipeOptimizer", "RECIPE_CLASSES"]

# The one table: registry recipe -> class name (aliases after the first).
RECIPE_CLASSES = {
    "sgd": ["SGD"],
    "m-sgd": ["MomentumSGD"],
    "heavy-ball": ["HeavyBall"],
    "signsgd": ["SignSGD"],
    "minibatch-signsgd": ["MinibatchSignSGD"],
    "m-signsgd": ["MSignSGD", "Signum"],
    "ef-signsgd": ["EFSignSGD"],
    "nsgd": ["NSGD"],
    "m-nsgd": ["MNSGD"],
    "clip-sgd": ["ClipSGD"],
    "m-clip-sgd": ["MClipSGD"],
    "adam": ["Adam"],
    "adamw": ["AdamW"],
    "lion": ["Lion"],
}

_DTYPES = (torch.float32, torch.float64)
# Group keys torch's LR schedulers add; they are not hyperparameters of the recipe.
_SCHEDULER_KEYS = ("initial_lr",)


def _typed(spec):
    """A registry parameter's default as int, float or str (by its kind, from `valid`)."""
    if spec["valid"].startswith("integer"):
        return int(spec["default"])
    if spec["valid"].startswith("one of"):
        return spec["default"]
    return float(spec["default"])


def _registry():
    return {m["name"]: m for m in _core.methods()}


class _Group:
    """The C++ optimizer of one parameter group and the hyperparameters it was built with."""

    def __init__(self, recipe, hyper):
        self.hyper = dict(hyper)
        self.engine = _core.optimizer(recipe, **hyper)
        self.views = None  # name -> flat float64 tensor over the C++ state, once published

    def update(self, hyper):
        if hyper != self.hyper:
            self.engine.set_params(**hyper)
            self.hyper = dict(hyper)


class RecipeOptimizer(torch.optim.Optimizer):
    """A signopt recipe as a torch optimizer: ``RecipeOptimizer(params, "m-signsgd", lr=0.01)``.

    The generated classes (``signopt.torch.Signum(params, lr=0.01)``) fix the recipe.
    """

    recipe = None

    def __init__(self, params, recipe=None, **hyperparameters):
        recipe = recipe or type(self).recipe
        registry = _registry()
        if recipe not in registry:
            raise ValueError(f"unknown recipe {recipe!r}; known: {', '.join(registry)}")
        self._recipe = recipe
        # torch name (underscores) -> registry name (dashes), in the registry's order.
        self._names = {p["name"].replace("-", "_"): p["name"] for p in registry[recipe]["parameters"]}
        self._check_keys(hyperparameters, "keyword argument")
        defaults = {k: _typed(p) for k, p in
                    zip(self._names, registry[recipe]["parameters"])}
        defaults.update(hyperparameters)
        self._groups = []
        super().__init__(params, defaults)

    def _check_keys(self, keys, what):
        unknown = [k for k in keys if k not in self._names]
        if unknown:
            raise TypeError(f"{type(self).__name__} ({self._recipe}): unknown {what} "
                            f"{', '.join(map(repr, unknown))}; valid: {', '.join(self._names)}")

    def _hyper(self, group):
        return {self._names[k]: group[k] for k in self._names}

    def add_param_group(self, param_group):
        if isinstance(param_group, dict):
            self._check_keys([k for k in param_group if k != "params"], "param group key")
        super().add_param_group(param_group)
        group = self.param_groups[-1]
        index = len(self.param_groups) - 1
        dtypes = set()
        for p in group["params"]:
            _check_parameter(p, index)
            dtypes.add(p.dtype)
        if len(dtypes) > 1:
            raise TypeError(f"param group {index} mixes dtypes {sorted(map(str, dtypes))}: one dtype "
                            f"per group (the group is one vector); put them in separate groups")
        self._groups.append(_Group(self._recipe, self._hyper(group)))  # validates the values

    def _engine(self, index):
        entry = self._groups[index]
        entry.update(self._hyper(self.param_groups[index]))
        return entry

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for index, group in enumerate(self.param_groups):
            params = group["params"]
            if not params:
                continue
            entry = self._engine(index)
            # The fast path: numpy views of every parameter and gradient, checked in C++ (dtype,
            # contiguity, sizes) before anything is written. Anything it refuses, and anything
            # torch refuses to view (sparse, not on the CPU), is diagnosed below with a message
            # that names the tensor.
            try:
                xs = [p.detach().numpy() for p in params]
                gs = [None if p.grad is None else p.grad.detach().numpy() for p in params]
                stepped = entry.engine.step_parts(xs, gs)
            except (TypeError, ValueError, RuntimeError) as error:
                self._diagnose(index)  # raises the clear message when a tensor is the cause
                raise type(error)(f"param group {index}: {error}") from error
            if stepped:
                self._publish_state(index)
        return loss

    def _diagnose(self, index):
        """Raises the clear error for the first tensor of group `index` that cannot be stepped."""
        params = self.param_groups[index]["params"]
        for p in params:
            _check_parameter(p, index, params[0].dtype)
            if p.grad is not None:
                _gradient_view(p, index)

    def _publish_state(self, index):
        """Points optimizer.state[p] of group `index` at views of the C++ state (no copies)."""
        entry = self._groups[index]
        k = entry.engine.iteration
        if entry.views is None:
            arrays = entry.engine.state_views()
            entry.views = {name: torch.from_numpy(a) for name, a in arrays.items()}
            offset = 0
            for p in self.param_groups[index]["params"]:
                n = p.numel()
                state = self.state[p]
                state.clear()
                for name, flat in entry.views.items():
                    state[name] = flat[offset:offset + n].view(p.shape)
                offset += n
        for p in self.param_groups[index]["params"]:
            self.state[p]["step"] = k

    def load_state_dict(self, state_dict):
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) == len(self.param_groups):
            for i, saved in enumerate(saved_groups):
                keys = set(saved) - {"params", *_SCHEDULER_KEYS}
                if keys != set(self._names):
                    raise ValueError(
                        f"param group {i} of the saved state has keys {sorted(keys)}, "
                        f"{type(self).__name__} ({self._recipe}) has {sorted(self._names)}: "
                        f"saved from another recipe?")
        super().load_state_dict(state_dict)  # checks the group sizes, takes the hyperparameters
        # torch's copy casts float64 state to a float32 parameter's dtype; the C++ state is
        # float64, so it is restored from the tensors as saved.
        for index, (saved, group) in enumerate(zip(saved_groups, self.param_groups)):
            entry = self._groups[index]
            entry.update(self._hyper(group))
            states = [state_dict["state"].get(i) for i in saved["params"]]
            for p in group["params"]:
                self.state.pop(p, None)
            entry.views = None
            if all(s is None for s in states):  # saved before this group's first step
                self._groups[index] = _Group(self._recipe, self._hyper(group))
                continue
            if any(s is None for s in states):
                raise ValueError(f"param group {index}: the saved state covers only some of "
                                 f"its parameters")
            steps = {s.get("step") for s in states}
            if len(steps) != 1 or not isinstance(next(iter(steps)), int):
                raise ValueError(f"param group {index}: saved 'step' values {sorted(map(str, steps))}"
                                 f" differ or are missing")
            k = next(iter(steps))
            d = sum(p.numel() for p in group["params"])
            entry.engine.reset(d)
            loaded = {"name": self._recipe, "iteration": k, "dim": d}
            for name in entry.engine.state_views():
                pieces = []
                for j, (s, p) in enumerate(zip(states, group["params"])):
                    if name not in s:
                        raise ValueError(f"param group {index}, parameter {j}: the saved state has "
                                         f"no {name!r} (saved from another recipe?)")
                    t = s[name]
                    if not isinstance(t, torch.Tensor) or t.numel() != p.numel():
                        raise ValueError(f"param group {index}, parameter {j}: saved {name!r} has "
                                         f"{getattr(t, 'numel', lambda: '?')()} entries, the "
                                         f"parameter {p.numel()}")
                    pieces.append(t.detach().reshape(-1).to(torch.float64))
                loaded[name] = torch.cat(pieces).numpy()
            entry.engine.load_state_dict(loaded)
            self._publish_state(index)

    def batch_size(self, k):
        """B_k of the recipe's batch schedule (minibatch-signsgd; 1 otherwise) for step k: the
        caller draws that many samples, the optimizer never sees the batch. Needs the same
        batch parameters in every group."""
        sizes = {entry.engine.batch_size(k) for entry in
                 (self._engine(i) for i in range(len(self.param_groups)))}
        if len(sizes) != 1:
            raise ValueError(f"the param groups ask for different batch sizes {sorted(sizes)} at "
                             f"step {k}: one batch per step needs one batch schedule")
        return sizes.pop()


def _check_parameter(p, group, dtype=None):
    where = f"param group {group}: parameter of shape {tuple(p.shape)}"
    if p.device.type != "cpu":
        raise TypeError(f"{where} is on {p.device}: signopt.torch updates CPU tensors only")
    if p.is_sparse or p.layout != torch.strided:
        raise TypeError(f"{where} has layout {p.layout}: signopt.torch needs dense tensors")
    if p.dtype not in _DTYPES:
        raise TypeError(f"{where} has dtype {p.dtype}: signopt.torch updates float32 and float64")
    if dtype is not None and p.dtype != dtype:
        raise TypeError(f"{where} has dtype {p.dtype}, the group's first {dtype}: one dtype per "
                        f"group")
    if not p.is_contiguous():
        raise TypeError(f"{where} is not contiguous (strides {p.stride()}): signopt.torch updates "
                        f"the tensor's memory in place and needs it contiguous")


def _gradient_view(p, group):
    g = p.grad
    where = f"param group {group}: gradient of the parameter of shape {tuple(p.shape)}"
    if g.is_sparse or g.layout != torch.strided:
        raise TypeError(f"{where} is sparse ({g.layout}): signopt.torch needs dense gradients "
                        f"(e.g. nn.Embedding(sparse=False))")
    if g.device.type != "cpu":
        raise TypeError(f"{where} is on {g.device}: signopt.torch updates CPU tensors only")
    if g.dtype != p.dtype:
        raise TypeError(f"{where} has dtype {g.dtype}, the parameter {p.dtype}")
    if not g.is_contiguous():
        raise TypeError(f"{where} is not contiguous (strides {g.stride()})")
    if g.shape != p.shape:
        raise ValueError(f"{where} has shape {tuple(g.shape)}")
    return g.detach().numpy()


def _make_class(recipe, name, info):
    params = info["parameters"]
    doc_lines = [f"{info['description']} ({info['source']}).", "",
                 f"signopt recipe {recipe!r} as a torch optimizer. Keyword arguments:"]
    for p in params:
        doc_lines.append(f"  {p['name'].replace('-', '_')} = {p['default']}  ({p['valid']}): "
                         f"{p['description']}")

    def __init__(self, params_, **hyperparameters):
        RecipeOptimizer.__init__(self, params_, recipe, **hyperparameters)

    __init__.__signature__ = inspect.Signature(
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
         inspect.Parameter("params", inspect.Parameter.POSITIONAL_OR_KEYWORD)] +
        [inspect.Parameter(p["name"].replace("-", "_"), inspect.Parameter.KEYWORD_ONLY,
                           default=_typed(p)) for p in params])
    return type(name, (RecipeOptimizer,), {"recipe": recipe, "__init__": __init__,
                                           "__doc__": "\n".join(doc_lines),
                                           "__module__": __name__})


def _generate():
    registry = _registry()
    missing = set(registry) - set(RECIPE_CLASSES)
    if missing:  # a recipe added to the C++ registry needs a class name in the table
        raise ImportError(f"signopt.torch: no class name for recipe(s) {sorted(missing)}")
    for recipe, names in RECIPE_CLASSES.items():
        cls = _make_class(recipe, names[0], registry[recipe])
        for name in names:
            globals()[name] = cls
            __all__.append(name)


_generate()
