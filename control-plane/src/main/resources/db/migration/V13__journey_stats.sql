-- The journeys engine's counts per journey and node (qa.journeys.stats: deltas per engine instance and checkpoint),
-- summed by JourneyStatsConsumer for GET /api/v1/journeys/{id}/stats. One row per (journey, node, metric); node_id ''
-- holds the journey's own counts (metrics entered, ended), a node's are entered, exited, actions, branch:<branch> and
-- skipped:<reason>. amount saturates at the largest bigint rather than failing. updated_at is the time of the newest
-- delta added to the row (the engine's clock when its checkpoint counted). Rows go with their journey, and so with
-- its organization.
create table journey_stats (
    journey_id      varchar(64)  not null references journey (id) on delete cascade,
    organization_id varchar(64)  not null,
    node_id         varchar(128) not null,
    metric          varchar(256) not null,
    amount          bigint       not null,
    updated_at      timestamp with time zone not null,
    constraint journey_stats_pk primary key (journey_id, organization_id, node_id, metric)
);

-- The deltas already added (deltaId <org>/<journey>#<instance>@<checkpointId>): a delta delivered again — a replay after
-- a restart or a rebalance — adds nothing. Deleted after qa.journey-stats.delta-retention (30 days), long after any
-- redelivery; and with their journey.
create table journey_stats_delta (
    delta_id   varchar(200) primary key,
    journey_id varchar(64)  not null references journey (id) on delete cascade,
    applied_at timestamp with time zone not null
);
create index journey_stats_delta_journey on journey_stats_delta (journey_id);
create index journey_stats_delta_applied on journey_stats_delta (applied_at);
