"""actlab.theory: the initialisation answer of docs/theory.md ("One initialisation answer")."""
from . import _actlab
from ._activation import Activation


class Recommendation(dict):
    """A dict (the JSON `actlab init --json` prints per activation) whose keys also read as attributes:
    r.sigma_w, r.sigma_b, r.input_scale, r.verdict, r.reasons, r.K_star, r.chi_par, ..."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


def _spec(act):
    return act.theory_spec() if isinstance(act, Activation) else str(act)


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


def classify(act):
    """The effective theory's classification of `act` (docs/theory.md, "Effective theory")."""
    if not isinstance(act, Activation):
        act = Activation(act)
    return act.classify()
