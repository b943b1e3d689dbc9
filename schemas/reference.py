"""Reference data kept by the board: units, cadres and their posts, the council, monitoring
assignments, disciplinary measures, confidence votes and last year's results."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from danhgia.kinds import EXCUSABLE
from schemas.base import LEVELS, SubmissionSchema, file_of

UNIT_KINDS = ["TINH", "HUYEN", "SO", "DOANTHE", "BANDANG", "NGANHDOC", "XA"]
DISCIPLINE = ["Khiển trách", "Cảnh cáo", "Cách chức", "Khai trừ"]


class UnitsSchema(SubmissionSchema):
    unit_code: Series[str] = pa.Field(plain_code=(), unique=True)
    unit_name: Series[str] = pa.Field(str_length={"min_value": 2})
    unit_kind: Series[str] = pa.Field(isin=UNIT_KINDS)
    parent_code: Series[str] = pa.Field(nullable=True, plain_code=())

    @pa.dataframe_check
    def parent_is_a_listed_unit(cls, df: pd.DataFrame) -> Series[bool]:
        """The parent is listed in the same file (a file is the whole list)."""
        listed = pd.MultiIndex.from_arrays([file_of(df), df["unit_code"]])
        parent = pd.MultiIndex.from_arrays([file_of(df), df["parent_code"]])
        return df["parent_code"].isna() | pd.Series(parent.isin(listed), index=df.index)


class CadresSchema(SubmissionSchema):
    cadre_code: Series[str] = pa.Field(plain_code=(), unique=True)
    full_name: Series[str] = pa.Field(str_length={"min_value": 2})
    gender: Series[str] = pa.Field(isin=["Nam", "Nữ"])
    birth_year: Series[pd.Int64Dtype] = pa.Field(ge=1940, le=2010)
    months_off: Series[float] = pa.Field(nullable=True, ge=0, le=12)


class PostsSchema(SubmissionSchema):
    cadre_code: Series[str] = pa.Field(plain_code=())
    unit_code: Series[str] = pa.Field(plain_code=())
    position_code: Series[str] = pa.Field(plain_code=())
    position_title: Series[str]
    is_head: Series[pd.BooleanDtype]
    start_date: Series[pa.DateTime]
    end_date: Series[pa.DateTime] = pa.Field(nullable=True)

    @pa.dataframe_check
    def post_ends_after_it_starts(cls, df: pd.DataFrame) -> Series[bool]:
        return df["end_date"].isna() | (df["end_date"] >= df["start_date"])


class CouncilMembersSchema(SubmissionSchema):
    member_code: Series[str] = pa.Field(plain_code=(), unique=True)
    full_name: Series[str]
    unit_code: Series[str] = pa.Field(plain_code=())


class MonitoringSchema(SubmissionSchema):
    cadre_code: Series[str] = pa.Field(plain_code=())
    commune_code: Series[str] = pa.Field(plain_code=())
    start_date: Series[pa.DateTime]
    end_date: Series[pa.DateTime] = pa.Field(nullable=True)


class DisciplineSchema(SubmissionSchema):
    cadre_code: Series[str] = pa.Field(plain_code=())
    measure: Series[str] = pa.Field(isin=DISCIPLINE)
    decided_on: Series[pa.DateTime]
    reason: Series[str] = pa.Field(nullable=True)


class ConfidenceVotesSchema(SubmissionSchema):
    cadre_code: Series[str] = pa.Field(plain_code=(), unique=True)
    votes_total: Series[pd.Int64Dtype] = pa.Field(gt=0)
    votes_low: Series[pd.Int64Dtype] = pa.Field(ge=0)

    @pa.dataframe_check
    def low_votes_within_total(cls, df: pd.DataFrame) -> Series[bool]:
        return df["votes_low"] <= df["votes_total"]


class ExcusalsSchema(SubmissionSchema):
    cadre_code: Series[str] = pa.Field(plain_code=())
    rule: Series[str] = pa.Field(isin=list(EXCUSABLE))
    task_code: Series[str] = pa.Field(nullable=True, plain_code=())
    reason: Series[str] = pa.Field(str_length={"min_value": 3})
    decided_on: Series[pa.DateTime]

    @pa.dataframe_check
    def late_task_excusal_names_the_task(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["rule"] != "TRE_HAN") | df["task_code"].notna()


class InspectionsSchema(SubmissionSchema):
    cadre_code: Series[str] = pa.Field(plain_code=())
    task_code: Series[str] = pa.Field(plain_code=())
    major_errors: Series[pd.Int64Dtype] = pa.Field(ge=1, le=20)
    finding: Series[str] = pa.Field(str_length={"min_value": 3})
    decided_on: Series[pa.DateTime]


class PreviousLevelsSchema(SubmissionSchema):
    group_code: Series[str] = pa.Field(plain_code=())
    level: Series[str] = pa.Field(isin=LEVELS)
    count: Series[pd.Int64Dtype] = pa.Field(ge=0)
