"""Rules of goal frameworks: versions, the goal tree, SDG links, indicators, measurements.

An adopted (or superseded) framework is never changed in place: "new version" copies its
tree into a draft that supersedes it, and adopting the draft marks the old one superseded.
Measurements are the exception: yearly values keep coming after adoption. Every change is
written to the audit trail with what was there before and after.

Services flush and never commit; the request (or the command) commits at its edge.
"""

from dialog.core.numbers import parse_number
from dialog.goals.services.common import (
    KOLADA_KPI_PATTERN,
    MUNICIPALITY_CODE_PATTERN,
    RESERVED_SLUGS,
    YEAR_MAX,
    YEAR_MIN,
    FrameworkInput,
    GoalInput,
    GoalsError,
    IndicatorInput,
    require_editable,
)
from dialog.goals.services.frameworks import (
    adopt_framework,
    create_framework,
    ensure_sdgs,
    new_version,
    set_status,
    update_framework,
)
from dialog.goals.services.indicators import (
    add_indicator,
    check_measurement,
    delete_indicator,
    delete_measurement,
    import_measurements,
    read_measurements,
    record_measurement,
    update_indicator,
)
from dialog.goals.services.tree import (
    add_goal,
    delete_goal,
    move_goal,
    set_goal_sdgs,
    suggest_code,
    update_goal,
)

__all__ = [
    "KOLADA_KPI_PATTERN",
    "MUNICIPALITY_CODE_PATTERN",
    "RESERVED_SLUGS",
    "YEAR_MAX",
    "YEAR_MIN",
    "FrameworkInput",
    "GoalInput",
    "GoalsError",
    "IndicatorInput",
    "add_goal",
    "add_indicator",
    "adopt_framework",
    "check_measurement",
    "create_framework",
    "delete_goal",
    "delete_indicator",
    "delete_measurement",
    "ensure_sdgs",
    "import_measurements",
    "move_goal",
    "new_version",
    "parse_number",
    "read_measurements",
    "record_measurement",
    "require_editable",
    "set_goal_sdgs",
    "set_status",
    "suggest_code",
    "update_framework",
    "update_goal",
    "update_indicator",
]
