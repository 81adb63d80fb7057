-- SMS signatures, SMS templates and email templates of a workspace (CONTRACTS.md §4), each on one platform
-- interface. status is the platform's review (PENDING, APPROVED, REJECTED), asked of it on demand and by a
-- periodic poll of pending ones; revision grows with every content change, so a poll answer about an older
-- revision is not written over a newer one.
create table sms_signature (
    id              varchar(64)  primary key,
    organization_id varchar(64)  not null references organization (id),
    workspace_id    varchar(64)  not null references workspace (id),
    platform_id     varchar(64)  not null references channel_interface (id),
    sign_name       varchar(64)  not null,
    status          varchar(16)  not null,
    reason          varchar(1000),
    synced_at       timestamp with time zone,
    revision        int          not null,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    constraint sms_signature_name_unique unique (platform_id, sign_name)
);

create table sms_template (
    id              varchar(64)  primary key,
    organization_id varchar(64)  not null references organization (id),
    workspace_id    varchar(64)  not null references workspace (id),
    platform_id     varchar(64)  not null references channel_interface (id),
    template_code   varchar(128) not null,
    name            varchar(30)  not null,
    content         varchar(500) not null,
    type            varchar(24)  not null,
    subject         varchar(20),
    remark          varchar(100) not null,
    status          varchar(16)  not null,
    reason          varchar(1000),
    synced_at       timestamp with time zone,
    revision        int          not null,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    constraint sms_template_code_unique unique (platform_id, template_code),
    constraint sms_template_name_unique unique (platform_id, name)
);

create table email_template (
    id              varchar(64)  primary key,
    organization_id varchar(64)  not null references organization (id),
    workspace_id    varchar(64)  not null references workspace (id),
    platform_id     varchar(64)  not null references channel_interface (id),
    template_code   varchar(128) not null,
    name            varchar(30)  not null,
    subject         varchar(200) not null,
    content         text         not null,
    sender_name     varchar(100) not null,
    remark          varchar(100) not null,
    status          varchar(16)  not null,
    reason          varchar(1000),
    synced_at       timestamp with time zone,
    revision        int          not null,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    constraint email_template_code_unique unique (platform_id, template_code),
    constraint email_template_name_unique unique (platform_id, name)
);

create index sms_signature_ws on sms_signature (workspace_id, sign_name);
create index sms_signature_pending on sms_signature (status, synced_at);
create index sms_template_ws on sms_template (workspace_id, name);
create index sms_template_pending on sms_template (status, synced_at);
create index email_template_ws on email_template (workspace_id, name);
create index email_template_pending on email_template (status, synced_at);
