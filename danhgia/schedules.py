"""The cycle's calendar as Prefect deployments: which flow runs when, with which parameters.

Everything comes from the cycle's configuration (deadlines and the ``calendar`` block), so
``prefect.yaml`` is generated from it (``danhgia deployments``) and a test checks that the
committed file has not drifted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from dateutil.rrule import rrulestr

from danhgia.cycle_config import CycleConfig
from danhgia.kinds import QUARTERS

WORK_POOL = "danhgia-process"


@dataclass(frozen=True)
class PlannedSchedule:
    rrule: str  # DTSTART (local time) and RRULE, read in the calendar's time zone
    slug: str
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PlannedDeployment:
    name: str
    entrypoint: str
    description: str
    parameters: dict[str, Any]
    schedules: list[PlannedSchedule]

    @property
    def flow_module(self) -> str:
        return self.entrypoint.split(":")[0].removesuffix(".py").replace("/", ".")

    @property
    def flow_name(self) -> str:
        return self.entrypoint.split(":")[1]


def _stamp(day: dt.date, at: dt.time) -> str:
    return dt.datetime.combine(day, at).strftime("%Y%m%dT%H%M%S")


def _once(day: dt.date, at: dt.time) -> str:
    return f"DTSTART:{_stamp(day, at)}\nRRULE:FREQ=DAILY;COUNT=1"


def _deadlines(config: CycleConfig) -> list[tuple[str, str, dt.date]]:
    d = config.deadlines
    out = [("task_register", "CN", d.task_register)]
    out += [("quarterly_progress", q, d.quarterly_progress[q]) for q in QUARTERS]
    out += [(k, "CN", getattr(d, k)) for k in ("self_assessment", "commune_forms", "collective")]
    out.append(("council_scores", "CN", d.council_scores))
    return out


def planned_deployments(config: CycleConfig) -> list[PlannedDeployment]:
    """The four deployments of a cycle and their schedules."""
    cal = config.calendar
    window = cal.collection_window
    cycle = {"cycle": config.cycle}
    collect = PlannedDeployment(
        "thu-nhan-hang-ngay",
        "flows/collect.py:collect_submissions",
        "Thu nhận hồ sơ của các đơn vị mỗi ngày trong thời gian nhận hồ sơ.",
        cycle,
        [
            PlannedSchedule(
                f"DTSTART:{_stamp(window['start'], cal.collection_time)}\n"
                f"RRULE:FREQ=DAILY;UNTIL={_stamp(window['end'], cal.collection_time)}",
                "hang-ngay",
            )
        ],
    )
    due_days = sorted({day for _, _, day in _deadlines(config)})
    before = sorted(
        {day - dt.timedelta(days=n) for day in due_days for n in cal.reminder_days_before}
    )
    remind = PlannedDeployment(
        "nhac-nho-don-vi",
        "flows/reminders.py:remind_late_units",
        "Nhắc các đơn vị chưa gửi hồ sơ: hằng tuần và vài ngày trước mỗi hạn nộp.",
        cycle,
        [
            PlannedSchedule(
                f"DTSTART:{_stamp(window['start'], cal.reminder_time)}\n"
                f"RRULE:FREQ=WEEKLY;BYDAY={cal.reminder_weekday};"
                f"UNTIL={_stamp(window['end'], cal.reminder_time)}",
                "hang-tuan",
            )
        ]
        + [
            PlannedSchedule(_once(day, cal.reminder_time), f"truoc-han-{day:%Y%m%d}")
            for day in before
        ],
    )
    after = dt.timedelta(days=cal.review_days_after_deadline)
    quarterly = PlannedDeployment(
        "soat-xet-hang-quy",
        "flows/quarterly.py:quarterly_review",
        "Xếp loại tạm thời và báo cáo ngắn sau hạn báo cáo tiến độ mỗi quý.",
        cycle,
        [
            PlannedSchedule(
                _once(config.deadlines.quarterly_progress[q] + after, cal.review_time),
                f"quy-{q.lower()}",
                {"quarter": q},
            )
            for q in QUARTERS
        ],
    )
    last = max(due_days)
    annual = PlannedDeployment(
        "chu-ky-danh-gia-nam",
        "flows/annual.py:annual_cycle",
        "Chấm điểm, xếp loại, chờ Ban Thường vụ phê duyệt rồi lập hồ sơ chính thức.",
        {**cycle, "require_approval": True},
        [PlannedSchedule(_once(last + after, cal.review_time), "cuoi-nam")],
    )
    return [collect, remind, quarterly, annual]


def prefect_yaml(config: CycleConfig) -> str:
    """The text of ``prefect.yaml`` for one cycle."""
    doc = {
        "name": "danhgia",
        "prefect-version": "3.8.8",
        "pull": [
            {
                "prefect.deployments.steps.set_working_directory": {
                    "directory": "{{ $DANHGIA_PROJECT_DIR }}",
                },
            }
        ],
        "deployments": [
            {
                "name": d.name,
                "description": d.description,
                "entrypoint": d.entrypoint,
                "parameters": d.parameters,
                "work_pool": {"name": WORK_POOL},
                "schedules": [
                    {
                        "rrule": s.rrule,
                        "timezone": config.calendar.timezone,
                        "slug": s.slug,
                        **({"parameters": s.parameters} if s.parameters else {}),
                    }
                    for s in d.schedules
                ],
            }
            for d in planned_deployments(config)
        ],
    }
    header = (
        "# Generated from cycles/<year>.yaml by `danhgia deployments`: edit the cycle's\n"
        "# calendar and deadlines there, then regenerate. `danhgia serve` runs these schedules\n"
        "# from one process; in production `prefect deploy --all` registers them with a\n"
        "# Prefect server and a process work pool (see README).\n"
    )
    return header + yaml.dump(
        doc, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100
    )


class _PlainDumper(yaml.SafeDumper):
    """No YAML anchors: each deployment reads on its own."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def next_run(schedule: PlannedSchedule, tz: str, after: dt.datetime) -> dt.datetime | None:
    """The next time a schedule fires after ``after`` (aware), in the calendar's time zone."""
    zone = ZoneInfo(tz)
    rule = rrulestr(schedule.rrule)
    local_after = after.astimezone(zone).replace(tzinfo=None)
    found = rule.after(local_after)
    return None if found is None else found.replace(tzinfo=zone)
