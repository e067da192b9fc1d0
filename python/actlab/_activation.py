"""actlab.Activation and actlab.catalog()."""
from . import _actlab


class Activation:
    """An activation: a catalog name or alias ("swish", "silu"), or a formula ("x*tanh(softplus(x))").

    Keyword arguments bind parameters by name: Activation("leaky_relu", negative_slope=0.2),
    Activation("x*sigmoid(b*x)", b=1.5). f, df and d2f take a number (→ float) or an array: float32 in gives
    float32 out (computed in float32, no copy of a contiguous input), anything else is computed in float64.
    """

    def __init__(self, spec, **params):
        self.spec = spec
        self._core = _actlab.Activation(spec, {k: float(v) for k, v in params.items()})

    def f(self, x, out=None):
        """f(x), element-wise. out: a C-contiguous array of x's shape and dtype to write into (no allocation)."""
        return self._core.f(x, out)

    def df(self, x, out=None):
        """f'(x), element-wise, from the symbolic derivative."""
        return self._core.df(x, out)

    def d2f(self, x, out=None):
        """f''(x), element-wise, from the symbolic second derivative."""
        return self._core.d2f(x, out)

    __call__ = f

    name = property(lambda self: self._core.name, doc="canonical catalog name, or the formula as typed")
    source = property(lambda self: self._core.source, doc='"catalog", "user" or "formula"')
    params = property(lambda self: self._core.params, doc="every parameter with its value")
    row_wise = property(lambda self: self._core.row_wise, doc="acts on whole rows (softmax, ...)")
    formula = property(lambda self: self._core.formula, doc="the formula, parameters symbolic")
    expanded = property(lambda self: self._core.expanded, doc="f with the parameters substituted")
    derivative = property(lambda self: self._core.derivative, doc="f'(x) as formula text")
    second_derivative = property(lambda self: self._core.second_derivative, doc="f''(x) as formula text")
    range = property(lambda self: self._core.range, doc="(lo, hi) of the output, ±inf when unbounded")
    range_declared = property(lambda self: self._core.range_declared,
                              doc="True: the catalog's declaration; False: estimated from the formula")
    kinks = property(lambda self: self._core.kinks,
                     doc="points in [-20, 20] where f or a derivative jumps, or a pattern such as 'integers'")
    smoothness = property(lambda self: self._core.smoothness, doc='"C0", "C1", ..., "C-inf", "discontinuous"')
    monotone = property(lambda self: self._core.monotone)

    @property
    def theory_class(self):
        """The effective theory's universality class (theory::classify): "scale-invariant", "K*=0", ..."""
        return self.classify()["class"]

    def classify(self):
        """The full classification: {"class", "a1", "b1", "critical", "notes"} (docs/theory.md)."""
        return self._core.theory_class()

    def theory_spec(self):
        """The text actlab's theory reads for this activation (a catalog name or a formula)."""
        if not self.params or (self.source != "formula" and self.params == _defaults(self.name)):
            return self.name
        return self.expanded

    def __repr__(self):
        p = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"actlab.Activation({self.name!r}{p})"


def _defaults(name):
    for e in catalog():
        if e["name"] == name:
            return e["params"]
    return None


def catalog():
    """The activation catalog as a list of records (dicts), one per entry: pandas.DataFrame(actlab.catalog()).

    Fields as `actlab act list --json`: name, aliases, formula, params (name → default), learnable, range
    (declared bounds as formula text), kinks, monotone, menu, row_wise, stochastic, reference, user_catalog,
    properties_declared.
    """
    return _actlab.catalog()
