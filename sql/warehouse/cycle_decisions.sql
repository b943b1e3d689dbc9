-- The board's decisions on a cycle, append-only: approve (final dossiers, cycle locked),
-- send back (stays open, with notes), reopen (files taken in again, with the reason).
create table if not exists cycle_decisions (
    cycle        integer not null,
    seq          integer not null,
    decision     varchar not null check (decision in ('approve', 'send_back', 'reopen')),
    notes        varchar not null default '',
    decided_by   varchar not null,
    decided_at   timestamp not null,
    flow_run_id  varchar,
    primary key (cycle, seq)
)
