"""What every submission schema shares."""

import re
import string

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera import extensions


class SubmissionSchema(pa.DataFrameModel):
    class Config:
        strict = False  # the reader adds the Excel row number as an extra column
        coerce = True


LEVELS = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
_CODE_CHARACTER = r"[A-Za-z0-9_.\-]"  # codes are plain ASCII: no spaces, no invisible characters
CODE = rf"^{_CODE_CHARACTER}+$"
_CODE = re.compile(CODE)
_CODE_BYTES = (string.ascii_letters + string.digits + "_.-").encode()  # _CODE_CHARACTER's


@extensions.register_check_method(supported_types=pd.Series)
def plain_code(codes: pd.Series) -> pd.Series:
    """Each code matches ``CODE`` (``pa.Field(plain_code=())``).

    What ``str_matches=CODE`` says, asked of all the codes at once when every one is good, or
    else of the distinct codes (a province's files hold millions of codes; pandas would match
    each cell by a Python call)."""
    values = codes.to_numpy(dtype=object)
    if _all_plain(values):
        return pd.Series(True, index=codes.index)
    positions, distinct = pd.factorize(values)
    if _all_plain(distinct):  # good codes, some missing
        return pd.Series(True, index=codes.index)
    good = np.fromiter(
        (isinstance(c, str) and _CODE.match(c) is not None for c in distinct), bool, len(distinct)
    )
    return pd.Series(np.append(good, True)[positions], index=codes.index)  # -1: missing


def _all_plain(codes: np.ndarray) -> bool:
    """Whether every one is a text of ``CODE``'s characters, none empty: one pass in C over
    them all (``False`` tells nothing of any one code)."""
    try:
        joined = "".join(codes)
    except TypeError:  # a missing code, or not text
        return False
    return all(codes) and joined.isascii() and not joined.encode().translate(None, _CODE_BYTES)


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
