"""What every submission schema shares."""

import pandas as pd
import pandera.pandas as pa


class SubmissionSchema(pa.DataFrameModel):
    class Config:
        strict = False  # the reader adds the Excel row number as an extra column
        coerce = True


LEVELS = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
CODE = r"^[A-Za-z0-9_.\-]+$"  # codes are plain ASCII: no spaces, no invisible characters

#: Intake validates every file of one kind and period in one frame (one pandera call instead
#: of one per file); this extra column then says which file each row came from. A rule that
#: relates rows to each other (one level per cadre, a parent listed in the same file) must
#: relate rows of the same file only, so it keys on ``file_of(df)`` as well.
FILE_COLUMN = "_file"


def file_of(df: pd.DataFrame) -> pd.Series:
    """Which file each row came from (all 0 when the frame is a single file)."""
    if FILE_COLUMN in df.columns:
        return df[FILE_COLUMN]
    return pd.Series(0, index=df.index, name=FILE_COLUMN)
