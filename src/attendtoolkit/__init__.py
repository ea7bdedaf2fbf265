"""attendtoolkit: classify school attendance registers against a graduated-approach policy.

    >>> import attendtoolkit
    >>> result = attendtoolkit.analyse("register.csv", policy="swindon")   # doctest: +SKIP
    >>> result["totals"]["attendance_pct"]                                  # doctest: +SKIP
"""

__version__ = "0.1.0"

from attendtoolkit.api import ENGINES, analyse  # noqa: E402
from attendtoolkit.policy.model import Policy  # noqa: E402
from attendtoolkit.policy.load import PolicyError, load_policy, parse_policy, shipped_policies  # noqa: E402
from attendtoolkit.read.register import SHAPES, RegisterError  # noqa: E402
from attendtoolkit.results.contract import json_text  # noqa: E402
from attendtoolkit.results.csv_writer import result_csv  # noqa: E402

__all__ = ["analyse", "load_policy", "parse_policy", "shipped_policies", "Policy", "PolicyError", "RegisterError",
           "SHAPES", "ENGINES", "json_text", "result_csv", "__version__"]
