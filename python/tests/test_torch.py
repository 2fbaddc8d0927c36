"""signopt.torch: every recipe as a torch optimizer, stepping the tensors' memory in place,
bit-identical to the C++ recipe on each group's concatenated vector; state saved by torch."""
import io

import numpy as np
import pytest
import torch

import signopt
import signopt.torch as sot

ALL = [m["name"] for m in signopt.methods()]
SHAPES = [(3, 4), (5,), (2, 2, 3)]  # group 0: the first two, group 1: the last
LRS = (0.05, 0.02)


def make_params(dtype, seed=0):
    g = torch.Generator().manual_seed(seed)
    return [torch.nn.Parameter(torch.randn(s, generator=g, dtype=dtype)) for s in SHAPES]


def gradients(steps, seed=1):
    rng = np.random.default_rng(seed)
    d = sum(int(np.prod(s)) for s in SHAPES)
    g = rng.standard_cauchy(size=(steps, d))
    if steps > 2:
        g[2, 4] = 0.0  # sign(0) = 0 goes through the same path
    return g


def set_grads(params, flat):
    offset = 0
    for p in params:
        n = p.numel()
        p.grad = torch.from_numpy(flat[offset:offset + n].copy()).to(p.dtype).view(p.shape)
        offset += n


def flat(params):
    return np.concatenate([p.detach().numpy().reshape(-1) for p in params])


def two_groups(params):
    return [{"params": params[:2], "lr": LRS[0]}, {"params": params[2:], "lr": LRS[1]}]


def test_the_table_has_a_class_for_every_recipe():
    assert set(sot.RECIPE_CLASSES) == set(ALL)
    for recipe, names in sot.RECIPE_CLASSES.items():
        for name in names:
            cls = getattr(sot, name)
            assert issubclass(cls, torch.optim.Optimizer) and cls.recipe == recipe
    assert sot.Signum is sot.MSignSGD


@pytest.mark.parametrize("name", ALL)
def test_float64_is_bit_identical_to_the_cpp_recipe_per_group(name):
    params = make_params(torch.float64)
    x0 = flat(params)
    grads = gradients(12)
    opt = sot.RecipeOptimizer(two_groups(params), name)
    split = 3 * 4 + 5
    ref0 = signopt._core._reference_updates(name, x0[:split], grads[:, :split], lr=LRS[0])
    ref1 = signopt._core._reference_updates(name, x0[split:], grads[:, split:], lr=LRS[1])
    for k, g in enumerate(grads):
        set_grads(params, g)
        opt.step()
        x = flat(params)
        assert np.array_equal(x[:split], ref0[k]) and np.array_equal(x[split:], ref1[k]), \
            f"{name}: step {k + 1} differs"
    assert all(opt.state[p]["step"] == len(grads) for p in params)


@pytest.mark.parametrize("name", ALL)
def test_float32_is_the_float64_step_rounded_to_float32_once_per_step(name):
    params = make_params(torch.float32)
    grads = gradients(12).astype(np.float32).astype(np.float64)  # the float32 gradients, exactly
    opt = getattr(sot, sot.RECIPE_CLASSES[name][0])(params, lr=0.05)
    reference = signopt.optimizer(name, lr=0.05)
    x = flat(params).astype(np.float64)
    unrounded = x.copy()
    plain = signopt.optimizer(name, lr=0.05)
    for g in grads:
        set_grads(params, g)
        opt.step()
        reference.step(x, g)
        x[:] = x.astype(np.float32)
        plain.step(unrounded, g)
        assert np.array_equal(flat(params), x.astype(np.float32))
    # The rounding is real: the float64 run without it ends elsewhere (the check could fail).
    assert not np.array_equal(flat(params).astype(np.float64), unrounded)


def test_parameters_and_state_are_the_tensors_memory():
    params = make_params(torch.float32)
    pointers = [p.data_ptr() for p in params]
    aliases = [p.detach() for p in params]  # share the storage
    for p in params:
        assert p.detach().numpy().__array_interface__["data"][0] == p.data_ptr()
    opt = sot.Signum(params, lr=0.1, beta=0.5)
    before = flat(params)
    set_grads(params, gradients(1)[0])
    opt.step()
    assert [p.data_ptr() for p in params] == pointers
    assert not np.array_equal(flat(params), before)
    assert all(torch.equal(a, p) for a, p in zip(aliases, params))
    # The momentum in opt.state is a view of the C++ state: writing it changes the next step.
    reference = signopt.optimizer("m-signsgd", lr=0.1, beta=0.5)
    x = before.astype(np.float64)
    reference.step(x, gradients(1)[0].astype(np.float32).astype(np.float64))
    m = np.concatenate([opt.state[p]["momentum"].numpy().reshape(-1) for p in params])
    assert np.array_equal(m, reference.state_dict()["momentum"])
    assert all(opt.state[p]["momentum"].dtype == torch.float64 for p in params)
    for p in params:
        opt.state[p]["momentum"].zero_()
    assert not opt.state_dict()["state"][0]["momentum"].any()


def straightforward_signum(params, grads, lr, beta):
    """The update written with torch operations (beta = 0: SignSGD)."""
    momenta = [torch.zeros_like(p) for p in params]
    with torch.no_grad():
        for g in grads:
            set_grads(params, g)
            for p, m in zip(params, momenta):
                m.mul_(beta).add_(p.grad, alpha=1 - beta)
                p.add_(torch.sign(m), alpha=-lr)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("beta", [0.0, 0.9])
def test_within_float_tolerance_of_a_straightforward_torch_signsgd_and_signum(dtype, beta):
    grads = gradients(30, seed=4)
    ours, theirs = make_params(dtype), make_params(dtype)
    opt = sot.SignSGD(ours, lr=0.01) if beta == 0.0 else sot.Signum(ours, lr=0.01, beta=beta)
    for g in grads:
        set_grads(ours, g)
        opt.step()
    straightforward_signum(theirs, grads, 0.01, beta)
    tol = 1e-6 if dtype == torch.float32 else 1e-13
    for a, b in zip(ours, theirs):
        torch.testing.assert_close(a, b, rtol=tol, atol=tol)
    # Not vacuous: another beta is far outside the tolerance.
    other = make_params(dtype)
    straightforward_signum(other, grads, 0.01, 0.5 if beta else 0.9)
    assert not all(torch.allclose(a, b, rtol=tol, atol=tol) for a, b in zip(ours, other))


@pytest.mark.parametrize("name", ["m-signsgd", "adamw", "ef-signsgd", "lion", "m-clip-sgd"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_state_dict_through_torch_save_continues_bit_for_bit(name, dtype):
    grads = gradients(10, seed=2)
    params = make_params(dtype)
    opt = sot.RecipeOptimizer(two_groups(params), name)
    for g in grads[:5]:
        set_grads(params, g)
        opt.step()
    buffer = io.BytesIO()
    torch.save({"params": [p.detach().clone() for p in params], "opt": opt.state_dict()}, buffer)
    buffer.seek(0)
    saved = torch.load(buffer)
    resumed_params = [torch.nn.Parameter(t) for t in saved["params"]]
    resumed = sot.RecipeOptimizer(two_groups(resumed_params), name, lr=0.5)  # lr: from the save
    resumed.load_state_dict(saved["opt"])
    assert [g["lr"] for g in resumed.param_groups] == list(LRS)
    for g in grads[5:]:
        for ps, o in ((params, opt), (resumed_params, resumed)):
            set_grads(ps, g)
            o.step()
    assert np.array_equal(flat(params), flat(resumed_params))
    for p, q in zip(params, resumed_params):
        for key, value in opt.state[p].items():
            assert (value == resumed.state[q][key]) if key == "step" else torch.equal(
                value, resumed.state[q][key])


def test_loading_another_recipes_state_is_an_error():
    params = make_params(torch.float64)
    adam = sot.Adam(params)
    set_grads(params, gradients(1)[0])
    adam.step()
    with pytest.raises(ValueError, match="another recipe"):
        sot.Signum(params).load_state_dict(adam.state_dict())


def test_an_lr_scheduler_changes_lr_and_keeps_the_momentum():
    grads = gradients(3, seed=5)
    params = make_params(torch.float64)
    opt = sot.Signum(params, lr=0.1, beta=0.5)
    scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.1)
    reference = signopt.optimizer("m-signsgd", lr=0.1, beta=0.5)
    x = flat(params)
    for k, g in enumerate(grads):
        set_grads(params, g)
        opt.step()
        scheduler.step()
        reference.step(x, g)
        state = reference.state_dict()
        reference = signopt.optimizer("m-signsgd", lr=0.1 * 0.1 ** (k + 1), beta=0.5)
        reference.load_state_dict(state)
        assert np.array_equal(flat(params), x)


def test_parameters_without_gradient_are_left_alone():
    params = make_params(torch.float64)
    frozen = params[1].detach().clone()
    opt = sot.Signum(params, lr=0.1)
    for g in gradients(3):
        set_grads(params, g)
        params[1].grad = None
        opt.step()
    assert torch.equal(params[1], frozen)
    assert not opt.state[params[1]]["momentum"].any()
    assert opt.state[params[0]]["momentum"].any()


def test_minibatch_signsgd_gives_its_batch_schedule():
    opt = sot.MinibatchSignSGD(make_params(torch.float64), batch=4, batch_schedule="linear")
    assert [opt.batch_size(k) for k in (1, 2, 3)] == [4, 8, 12]


# Bad input: one clear exception each.

def test_sparse_gradients_are_refused():
    emb = torch.nn.Embedding(10, 3, sparse=True)
    opt = sot.SignSGD(emb.parameters(), lr=0.1)
    emb(torch.tensor([1, 2])).sum().backward()
    with pytest.raises(TypeError, match="sparse"):
        opt.step()


def test_non_contiguous_parameters_and_gradients_are_refused():
    with pytest.raises(TypeError, match="not contiguous"):
        sot.SignSGD([torch.nn.Parameter(torch.randn(4, 3).t())])
    p = torch.nn.Parameter(torch.randn(3, 4))
    opt = sot.SignSGD([p])
    p.grad = torch.randn(4, 3).t()
    with pytest.raises(TypeError, match="gradient .* not contiguous"):
        opt.step()


def test_non_cpu_tensors_are_refused():
    with pytest.raises(TypeError, match="on meta.*CPU tensors only"):
        sot.SignSGD([torch.empty(3, device="meta", requires_grad=True)])


def test_mixed_and_unsupported_dtypes_are_refused():
    a = torch.nn.Parameter(torch.randn(3))
    b = torch.nn.Parameter(torch.randn(3, dtype=torch.float64))
    with pytest.raises(TypeError, match="mixes dtypes"):
        sot.Signum([a, b])
    sot.Signum([{"params": [a]}, {"params": [b]}])  # one dtype per group is fine
    with pytest.raises(TypeError, match="float16.*float32 and float64"):
        sot.Signum([torch.nn.Parameter(torch.randn(3).half())])


def test_unknown_and_invalid_hyperparameters_are_refused():
    params = make_params(torch.float64)
    with pytest.raises(TypeError, match="unknown keyword argument 'momentum'"):
        sot.SignSGD(params, momentum=0.9)
    with pytest.raises(TypeError, match="unknown param group key 'betas'"):
        sot.Adam([{"params": params, "betas": (0.9, 0.99)}])
    with pytest.raises(signopt.Error, match="beta"):
        sot.Signum(params, beta=1.5)
