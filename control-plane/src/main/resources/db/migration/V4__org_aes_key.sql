-- The organization's AES key for encrypted audience IDs (CONTRACTS.md §6): set once, never changed, never
-- returned. sealed_key is a SecretBox value (QA_SECRET_KEY), never the key itself.
create table org_aes_key (
    organization_id varchar(64) primary key references organization (id),
    sealed_key      text        not null,
    set_at          timestamp with time zone not null,
    set_by_key_id   varchar(64) not null -- the API key that set it (kept after that key is deleted)
);
