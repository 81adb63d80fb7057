-- One row: a fixed text sealed with the platform secret key at the first start. Every later start must open
-- it, so a changed or lost key stops the service at once instead of failing one secret at a time.
create table secret_key_check (
    id         int  primary key,
    probe      text not null,
    created_at timestamp with time zone not null
);
