-- Organization-level identity settings (SEMANTICS.md § Identity). No row: the defaults (ONEID unique, 50
-- identifiers), which the jobs apply too when no IDENTITY_SETTINGS record was published.
create table identity_settings (
    organization_id varchar(64) primary key references organization (id),
    unique_id_types text        not null, -- JSON array of ID type names, e.g. ["ONEID","MOBILE"]
    max_identifiers int         not null,
    updated_at      timestamp with time zone not null
);
