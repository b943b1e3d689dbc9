"""What units send during the year: task registers, quarterly progress, self-assessments,
council scoring sheets, commune comment forms and the collective's self-classification."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.base import LEVELS, SubmissionSchema, file_of

ORIGINS = ["Cam kết", "Được giao"]


class TaskRegisterSchema(SubmissionSchema):
    task_code: Series[str] = pa.Field(plain_code=(), unique=True)
    cadre_code: Series[str] = pa.Field(plain_code=())
    origin: Series[str] = pa.Field(isin=ORIGINS)
    content: Series[str] = pa.Field(str_length={"min_value": 3})
    measure_unit: Series[str]
    target: Series[float] = pa.Field(gt=0)
    deadline: Series[pa.DateTime]
    weight: Series[float] = pa.Field(gt=0, le=10)
    long_term: Series[pd.BooleanDtype]
    milestone: Series[float] = pa.Field(nullable=True, gt=0)

    @pa.dataframe_check
    def long_term_task_has_milestone(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df["long_term"].fillna(False).astype(bool) | df["milestone"].notna()


class QuarterlyProgressSchema(SubmissionSchema):
    task_code: Series[str] = pa.Field(plain_code=(), unique=True)
    cadre_code: Series[str] = pa.Field(plain_code=())
    achieved: Series[float] = pa.Field(ge=0)
    note: Series[str] = pa.Field(nullable=True)


class SelfAssessmentSchema(SubmissionSchema):
    task_code: Series[str] = pa.Field(plain_code=(), unique=True)
    cadre_code: Series[str] = pa.Field(plain_code=())
    achieved: Series[float] = pa.Field(ge=0)
    completed: Series[pd.BooleanDtype]
    completed_on: Series[pa.DateTime] = pa.Field(nullable=True)
    evidence: Series[str] = pa.Field(nullable=True)
    obstacles: Series[str] = pa.Field(nullable=True)
    proposals: Series[str] = pa.Field(nullable=True)
    proposed_level: Series[str] = pa.Field(isin=LEVELS)

    @pa.dataframe_check
    def completed_task_has_completion_date(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df["completed"].fillna(False).astype(bool) | df["completed_on"].notna()

    @pa.dataframe_check
    def one_proposed_level_per_cadre(cls, df: pd.DataFrame) -> Series[bool]:
        levels = df.groupby([file_of(df), df["cadre_code"]])["proposed_level"]
        return levels.transform("nunique") <= 1


class CouncilScoresSchema(SubmissionSchema):
    member_code: Series[str] = pa.Field(plain_code=())
    cadre_code: Series[str] = pa.Field(plain_code=())
    criterion_code: Series[str] = pa.Field(plain_code=())
    score: Series[float] = pa.Field(ge=0, le=100)

    @pa.dataframe_check
    def one_score_per_cadre_and_criterion(cls, df: pd.DataFrame) -> Series[bool]:
        keys = pd.concat([file_of(df), df["cadre_code"], df["criterion_code"]], axis=1)
        return ~keys.duplicated(keep=False)


class CommuneFormsSchema(SubmissionSchema):
    cadre_code: Series[str] = pa.Field(plain_code=(), unique=True)
    visits: Series[pd.Int64Dtype] = pa.Field(ge=0, le=366)
    meetings: Series[pd.Int64Dtype] = pa.Field(ge=0, le=366)
    has_plan: Series[pd.BooleanDtype]
    reports_on_time: Series[pd.BooleanDtype]
    level: Series[str] = pa.Field(isin=LEVELS)
    recommend_commendation: Series[pd.BooleanDtype]
    request_replacement: Series[pd.BooleanDtype]
    comment: Series[str] = pa.Field(nullable=True)


class CollectiveSchema(SubmissionSchema):
    unit_code: Series[str] = pa.Field(plain_code=(), unique=True)
    planned_tasks: Series[pd.Int64Dtype] = pa.Field(gt=0)
    completed_tasks: Series[pd.Int64Dtype] = pa.Field(ge=0)
    subordinate_units: Series[pd.Int64Dtype] = pa.Field(ge=0)
    subordinate_khtnv: Series[pd.Int64Dtype] = pa.Field(ge=0)
    leader_disciplined: Series[pd.BooleanDtype]
    proposed_level: Series[str] = pa.Field(isin=LEVELS)

    @pa.dataframe_check
    def completed_within_planned(cls, df: pd.DataFrame) -> Series[bool]:
        return df["completed_tasks"] <= df["planned_tasks"]

    @pa.dataframe_check
    def failing_subordinates_within_subordinates(cls, df: pd.DataFrame) -> Series[bool]:
        return df["subordinate_khtnv"] <= df["subordinate_units"]
