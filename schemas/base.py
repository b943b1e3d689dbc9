"""What every submission schema shares."""

import pandera.pandas as pa


class SubmissionSchema(pa.DataFrameModel):
    class Config:
        strict = False  # the reader adds the Excel row number as an extra column
        coerce = True


LEVELS = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
CODE = r"^[A-Za-z0-9_.\-]+$"  # codes are plain ASCII: no spaces, no invisible characters
