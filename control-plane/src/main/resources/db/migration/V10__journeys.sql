-- Journeys of a workspace (SEMANTICS.md § Journeys): the definition as the marketer drew it (JSON,
-- journey-definition-v1, always read and written whole), its lifecycle status, and the trigger event's
-- code for the "definition in use" checks. revision grows with every edit.
create table journey (
    id              varchar(64)  primary key,
    organization_id varchar(64)  not null references organization (id),
    workspace_id    varchar(64)  not null references workspace (id),
    name            varchar(200) not null,
    status          varchar(16)  not null,
    trigger_type    varchar(16)  not null,
    trigger_event   varchar(128),
    definition      text         not null,
    revision        int          not null,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    constraint journey_name_unique unique (workspace_id, name)
);
create index journey_org on journey (organization_id);
