-- Channel interfaces of a workspace (SEMANTICS.md § Channels, CONTRACTS.md §3-5): SMS and email platforms,
-- webhooks, Umeng push apps, WeChat official accounts, Kafka interfaces — one table, the type's own
-- settings as JSON (always read and written whole), its secrets as a JSON object of SecretBox values.
create table channel_interface (
    id              varchar(64)  primary key,
    organization_id varchar(64)  not null references organization (id),
    workspace_id    varchar(64)  not null references workspace (id),
    type            varchar(16)  not null,
    name            varchar(200) not null,
    enabled         boolean      not null,
    settings        text         not null,
    secrets         text         not null, -- {"secret":"v1:…"}: sealed with QA_SECRET_KEY, never clear text
    id_types        varchar(400),          -- webhooks: ',OPEN_ID,MOBILE,' for the idType filter
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    constraint channel_interface_name_unique unique (workspace_id, type, name)
);
create index channel_interface_org on channel_interface (organization_id);
