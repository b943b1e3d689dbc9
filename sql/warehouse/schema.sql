-- The intake log: one row per distinct file ever received (by content hash).
-- A file is 'loaded' or 'quarantined'; a later loaded file for the same
-- (cycle, unit, kind, scope) supersedes it in current_submissions, and both stay here.
create table if not exists submissions (
    file_hash     varchar primary key,
    cycle         integer,
    unit_code     varchar not null,   -- the inbox folder: the sender's identity
    kind          varchar,
    scope         varchar,
    file_name     varchar not null,
    stored_path   varchar not null,
    received_at   timestamp not null,
    due_date      date,
    late          boolean not null default false,
    status        varchar not null check (status in ('loaded', 'quarantined')),
    n_rows        integer not null default 0,
    n_errors      integer not null default 0,
    n_warnings    integer not null default 0
);

create table if not exists findings (
    file_hash    varchar not null,
    seq          integer not null,
    severity     varchar not null,
    rule         varchar not null,
    message      varchar not null,
    sheet        varchar,
    row_no       integer,
    column_name  varchar,
    value        varchar,
    primary key (file_hash, seq)
);

-- The board's review decisions on received files, append-only: a decision is never updated
-- or deleted; a second decision on the same file is a new row (seq 2, 3, ...) and the one
-- with the highest seq is in force. 'reject' makes a loaded version stop counting
-- (current_submissions); 'accept' marks it reviewed. Only files that were loaded can be
-- accepted (danhgia/review.py).
create table if not exists review_decisions (
    file_hash   varchar not null,
    seq         integer not null,
    decision    varchar not null check (decision in ('accept', 'reject')),
    note        varchar not null,
    decided_by  varchar not null,
    decided_at  timestamp not null,
    primary key (file_hash, seq)
);
