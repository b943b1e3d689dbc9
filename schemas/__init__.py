"""One pandera DataFrameModel per submission kind, on the English column names.

Check names read as the domain rule they enforce; ``danhgia.intake.schema_check`` turns each
failure into a Vietnamese message for the unit.
"""

from schemas.reference import (
    CadresSchema,
    ConfidenceVotesSchema,
    CouncilMembersSchema,
    DisciplineSchema,
    ExcusalsSchema,
    InspectionsSchema,
    MonitoringSchema,
    PostsSchema,
    PreviousLevelsSchema,
    UnitsSchema,
)
from schemas.submissions import (
    CollectiveSchema,
    CommuneFormsSchema,
    CouncilScoresSchema,
    QuarterlyProgressSchema,
    SelfAssessmentSchema,
    TaskRegisterSchema,
)

SCHEMAS = {
    "units": UnitsSchema,
    "cadres": CadresSchema,
    "posts": PostsSchema,
    "council_members": CouncilMembersSchema,
    "monitoring": MonitoringSchema,
    "discipline": DisciplineSchema,
    "confidence_votes": ConfidenceVotesSchema,
    "excusals": ExcusalsSchema,
    "inspections": InspectionsSchema,
    "previous_levels": PreviousLevelsSchema,
    "task_register": TaskRegisterSchema,
    "quarterly_progress": QuarterlyProgressSchema,
    "self_assessment": SelfAssessmentSchema,
    "council_scores": CouncilScoresSchema,
    "commune_forms": CommuneFormsSchema,
    "collective": CollectiveSchema,
}

__all__ = ["SCHEMAS"]
