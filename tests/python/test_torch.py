"""actlab.torch against torch itself: values and gradients of formulas written in torch, and critical_init_'s
weight scales against the theory's sigma_w / sqrt(fan_in)."""
import math

import pytest
import torch
import torch.nn.functional as F

import actlab
import actlab.torch as at


@pytest.mark.parametrize("formula,reference", [
    ("x*tanh(softplus(x))", F.mish),
    ("x*sigmoid(1.5*x)", lambda x: x * torch.sigmoid(1.5 * x)),
    ("swish", F.silu),
    ("gelu", F.gelu),
])
def test_value_and_gradient_equal_torch(formula, reference):
    torch.manual_seed(0)
    x = (torch.randn(1000, dtype=torch.float64) * 4).requires_grad_()
    act = at.Activation(formula)
    y = act(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    x2 = x.detach().clone().requires_grad_()
    y2 = reference(x2)
    (g2,) = torch.autograd.grad(y2.sum(), x2)
    assert torch.allclose(y, y2, rtol=1e-12, atol=1e-13)
    assert torch.allclose(g, g2, rtol=1e-12, atol=1e-13)


def test_gradcheck_float64():
    x = torch.linspace(-4, 4, 37, dtype=torch.float64).requires_grad_()
    assert torch.autograd.gradcheck(at.Activation("x*tanh(softplus(x))"), (x,), eps=1e-6, atol=1e-8)


def test_float32_and_in_a_network():
    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Linear(3, 8), at.Activation("mish"), torch.nn.Linear(8, 1))
    x = torch.randn(16, 3)
    out = net(x)
    assert out.dtype == torch.float32 and out.shape == (16, 1)
    out.sum().backward()
    assert net[0].weight.grad is not None and torch.isfinite(net[0].weight.grad).all()


@pytest.mark.parametrize("module,act", [(torch.nn.Tanh, "tanh"), (torch.nn.ReLU, "relu"),
                                        (torch.nn.SiLU, "swish"), (lambda: at.Activation("tanh"), "tanh")])
def test_critical_init_weight_std(module, act):
    torch.manual_seed(2)
    width, n_hidden = 512, 6
    layers = [torch.nn.Linear(64, width), module()]
    for _ in range(n_hidden - 1):
        layers += [torch.nn.Linear(width, width), module()]
    layers.append(torch.nn.Linear(width, 1))
    net = torch.nn.Sequential(*layers)
    at.critical_init_(net)
    r = actlab.theory.init(act, depth=n_hidden)
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    for k, m in enumerate(linears):
        want = r.sigma_w / math.sqrt(m.in_features) * (r.input_scale if k == 0 else 1.0)
        assert m.weight.std().item() == pytest.approx(want, rel=0.03)
        if r.sigma_b == 0:
            assert torch.count_nonzero(m.bias) == 0
        elif m.out_features > 100:
            assert m.bias.std().item() == pytest.approx(r.sigma_b, rel=0.2)
    assert net.actlab_init[0]["activation"] == r.activation


def test_critical_init_needs_linear_and_activation():
    with pytest.raises(ValueError, match="no torch.nn.Linear"):
        at.critical_init_(torch.nn.Sequential(torch.nn.Tanh()))
    with pytest.raises(ValueError, match="no activation decides"):
        at.critical_init_(torch.nn.Sequential(torch.nn.Linear(2, 2)))


def measured_kernel(module, depth, width, nets, layers_measured, seed=0):
    """Mean over `nets` random critical_init_ networks of the mean squared pre-activation of each of the first
    `layers_measured` Linear layers, for N(0, 1) inputs (mean square 1, the recommendation's input_var)."""
    torch.manual_seed(seed)
    acc = [0.0] * layers_measured
    for _ in range(nets):
        mods = []
        for _ in range(depth):
            mods += [torch.nn.Linear(width, width), module()]
        net = torch.nn.Sequential(*mods).double()
        at.critical_init_(net, depth=depth)
        h = torch.randn(100, width, dtype=torch.float64)
        k = 0
        with torch.no_grad():
            for m in net:
                h = m(h)
                if isinstance(m, torch.nn.Linear):
                    acc[k] += (h ** 2).mean().item() / nets
                    k += 1
                    if k == layers_measured:
                        break
    return acc


def predicted_kernel(act, depth):
    # The theory's K^(l), l = 1 … depth (the kernel recursion; the tiny Monte Carlo is not used).
    return [layer["K"] for layer in actlab.theory.init(act, depth, width=1, mc=2)["check"]["layers"]]


def test_critical_init_tanh_depth50_keeps_the_predicted_kernel():
    # 20 random nets of width 256, 50 layers: the measured K^(l) within 10 % of the theory's at every layer
    # (measured: within 4.2 %).
    want = predicted_kernel("tanh", 50)
    got = measured_kernel(torch.nn.Tanh, 50, 256, 20, 50)
    assert max(abs(g / w - 1) for g, w in zip(got, want)) < 0.10


def test_critical_init_swish_keeps_k_star_over_the_first_layers():
    # swish's K* is half-stable: at width 256 the finite-width drift above K* grows with depth (docs/python.md
    # gives the numbers); the first 10 layers stay within 10 % of K*.
    want = predicted_kernel("swish", 50)
    got = measured_kernel(torch.nn.SiLU, 50, 256, 20, 10)
    assert max(abs(g / w - 1) for g, w in zip(got, want)) < 0.10


def test_learnable_parameter_trains_like_a_hand_written_module():
    class Hand(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.b = torch.nn.Parameter(torch.tensor(1.0, dtype=torch.float64))

        def forward(self, x):
            return x * torch.sigmoid(self.b * x)

    def fit(act):
        torch.manual_seed(3)
        lin = torch.nn.Linear(4, 8).double()
        out = torch.nn.Linear(8, 1).double()
        net = torch.nn.Sequential(lin, act, out)
        opt = torch.optim.SGD(net.parameters(), lr=0.05)
        x = torch.randn(64, 4, dtype=torch.float64)
        y = torch.sin(x.sum(1, keepdim=True))
        for _ in range(30):
            opt.zero_grad()
            loss = ((net(x) - y) ** 2).mean()
            loss.backward()
            opt.step()
        return act

    ours = fit(at.Activation("x*sigmoid(b*x)", b=1.0).double())
    hand = fit(Hand())
    assert list(dict(ours.named_parameters())) == ["params.b"]
    assert float(ours.params["b"]) != 1.0  # it moved
    assert float(ours.params["b"]) == pytest.approx(float(hand.b), rel=1e-12)
    assert ours.current().params == {"b": float(ours.params["b"])}


def test_gradcheck_of_input_and_parameter():
    act = at.Activation("x*sigmoid(b*x) + a*x", b=1.3, a=0.2).double()
    x = torch.linspace(-3, 3, 19, dtype=torch.float64).requires_grad_()
    b = act.params["b"]
    assert torch.autograd.gradcheck(lambda x, b_: act._build_with(x, b=b_), (x, b))


def test_catalog_learnable_only_and_kernel_backend():
    p = at.Activation("prelu")
    assert [n for n, _ in p.named_parameters()] == ["params.a"]
    assert not list(at.Activation("leaky_relu").parameters())
    x = torch.linspace(-5, 5, 101, dtype=torch.float64)
    for name in ["mish", "gelu", "elu", "hardswish", "leaky_relu", "softsign"]:
        assert torch.allclose(at.Activation(name)(x), at.Activation(name, backend="kernel")(x), rtol=1e-12,
                              atol=1e-14), name


def test_critical_init_conv2d_fan_in():
    torch.manual_seed(4)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 64, 3), torch.nn.Tanh(), torch.nn.Conv2d(64, 64, 5),
                              torch.nn.Tanh(), torch.nn.Flatten(), torch.nn.Linear(64, 10))
    at.critical_init_(net)
    r = actlab.theory.init("tanh", depth=2)
    for m, fan_in in [(net[0], 3 * 3 * 3), (net[2], 64 * 5 * 5), (net[5], 64)]:
        want = r["sigma_w"] / math.sqrt(fan_in) * (r["input_scale"] if m is net[0] else 1.0)
        assert m.weight.std().item() == pytest.approx(want, rel=0.1)


def test_to_actlab_and_back(tmp_path):
    torch.manual_seed(5)
    net = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 6),
                              at.Activation("x*sigmoid(b*x)", b=1.5), torch.nn.Linear(6, 2))
    x = torch.randn(7, 4)
    m = actlab.torch.to_actlab(net)
    assert torch.allclose(torch.from_numpy(m.predict(x.numpy())), net(x).detach(), rtol=1e-5, atol=1e-6)
    m.save(tmp_path / "m.json")
    back = actlab.torch.from_actlab(tmp_path / "m.json")
    assert torch.allclose(back(x).detach(), net(x).detach(), rtol=1e-5, atol=1e-6)
    # A trained model's standardisation is folded into the first layer: raw inputs, the same outputs.
    t = actlab.train("iris", model="mlp:8x2", epochs=3, seed=1)
    t.save(tmp_path / "t.json")
    xi, _, _ = actlab.data.load("iris")
    tn = actlab.torch.from_actlab(tmp_path / "t.json")
    assert torch.allclose(tn(torch.from_numpy(xi)).detach(), torch.from_numpy(t.predict(xi)), rtol=1e-4,
                          atol=1e-5)
