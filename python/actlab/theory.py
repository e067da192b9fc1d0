"""actlab.theory: mean-field signal propagation and the effective theory (docs/theory.md), as
`actlab theory eoc|propagate|kernel|classify` and `actlab init` compute them.

Each function returns the value the CLI prints with --json, as a dict whose keys also read as attributes; the
tables in it ("points", "layers") are lists of records (pandas.DataFrame(r.layers)), and r.table gives the
same table as numpy arrays, one per column.
"""
import numpy as np

from . import _actlab
from ._activation import Activation


class Record(dict):
    """A dict whose keys also read as attributes (r.sigma_w, r.layers, ...)."""

    _table_key = None

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    @property
    def table(self):
        """The result's table ("points" of eoc, "layers" of propagate and kernel) as {column: numpy array};
        null values become NaN, nested records (kernel's Monte Carlo "mc") become columns "mc_K", ..."""
        rows = self.get(self._table_key) or []
        cols = {}
        for i, row in enumerate(rows):
            flat = {}
            for k, v in row.items():
                if isinstance(v, dict):
                    flat.update({f"{k}_{kk}": vv for kk, vv in v.items()})
                elif k == "mc" and v is None:
                    continue
                else:
                    flat[k] = v
            for k, v in flat.items():
                cols.setdefault(k, [None] * len(rows))[i] = v
        out = {}
        for k, vals in cols.items():
            if all(isinstance(v, bool) for v in vals):
                out[k] = np.array(vals, dtype=bool)
            elif all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
                out[k] = np.array(vals, dtype=np.int64)
            else:
                out[k] = np.array([np.nan if v is None else float(v) for v in vals])
        return out


class Recommendation(Record):
    """The JSON `actlab init --json` prints per activation: r.sigma_w, r.sigma_b, r.input_scale, r.verdict,
    r.reasons, r.K_star, r.chi_par, ..."""


class _Points(Record):
    _table_key = "points"


class _Layers(Record):
    _table_key = "layers"


def _spec(act):
    return act.theory_spec() if isinstance(act, Activation) else str(act)


def _spec_params(act, params):
    """(spec, params) as the CLI's activation argument and --param values."""
    if isinstance(act, Activation):
        merged = dict(act.params)
        merged.update(params)
        return act.spec, {k: float(v) for k, v in merged.items()}
    return str(act), {k: float(v) for k, v in params.items()}


def eoc(act, sigma_b=0.0, **params):
    """Edge-of-chaos points of `act` (a name, a formula or an actlab.Activation; keywords bind parameters as
    --param does): for each bias scale in `sigma_b` (a number or a sequence), every sigma_w with chi1 = 1 at
    the variance fixed point q*, with its stability. `actlab theory eoc ACT --sigma-b ... --json`:
    {"activation", "points": [{sigma_b, sigma_w, q_star, chi1, dF_dq, stable, marginal, beta_q, xi_q,
    q_free}, ...], "sigma_b_without_eoc": [...]}."""
    spec, p = _spec_params(act, params)
    sbs = [float(sigma_b)] if np.ndim(sigma_b) == 0 else [float(v) for v in np.ravel(sigma_b)]
    return _Points(_actlab.theory_eoc(spec, p, sbs))


def propagate(act, sigma_w, sigma_b, depth, q0=1.0, q0_second=None, c0=0.0, **params):
    """Variance q^l and correlation c^l of two inputs through `depth` random layers with weights
    N(0, sigma_w^2/N) and biases N(0, sigma_b^2): the fixed point q*, chi1, c*, the depth scales xi_q, xi_c,
    the phase, and "layers" [{l, q, c, one_minus_c, chi1}, ...]. `actlab theory propagate ACT --sigma-w W
    --sigma-b B --depth L [--q0 --q0-second --c0] --json`."""
    spec, p = _spec_params(act, params)
    return _Layers(_actlab.theory_propagate(spec, p, float(sigma_w), float(sigma_b), int(depth), float(q0),
                                            None if q0_second is None else float(q0_second), float(c0)))


def kernel(act, cw, cb, k0, depth, width=None, mc=None, seed=0, **params):
    """The effective theory's kernel recursion K^(l+1) = C_b + C_W <phi^2>_K with chi_par, chi_perp, r and the
    four-point vertex V/K^2 per layer; with width and mc, also a Monte Carlo over mc random networks of that
    width ("mc" of each layer: K, K_se, V_over_K2, V_over_K2_se). `actlab theory kernel ACT --cw --cb --k0
    --depth [--width --mc --seed] --json`."""
    spec, p = _spec_params(act, params)
    return _Layers(_actlab.theory_kernel(spec, p, float(cw), float(cb), float(k0), int(depth),
                                         None if width is None else int(width), None if mc is None else int(mc),
                                         int(seed)))


def init(act, depth, width=None, input_var=1.0, mc=200, seed=0):
    """The critical initialisation of `act` (a name, a formula or an actlab.Activation) for `depth` hidden
    layers: sigma_w, sigma_b, the first layer's input_scale, the verdict ("critical", "marginal", "cannot be
    stabilised") and its reasons; the same numbers as `actlab init ACT --depth L --json`.

    With width, also a Monte Carlo check of `mc` random networks of that width against the theory ("check").
    """
    return Recommendation(_actlab.init_answer(_spec(act), int(depth), width, float(input_var), int(mc),
                                              int(seed)))


def torch_init_code(act, depth, input_var=1.0):
    """The PyTorch code `actlab init ACT --depth L --torch` prints."""
    return _actlab.torch_init_code(_spec(act), int(depth), float(input_var))


def classify(act, **params):
    """The effective theory's universality class of `act` and its critical initialisation:
    {"activation", "class", "a1", "b1", "critical": {C_b, C_W, K_star} or None, "notes"}, as
    `actlab theory classify ACT --json`."""
    spec, p = _spec_params(act, params)
    return Record(_actlab.theory_classify(spec, p))
