-- Nonces of accepted webhook receipt requests (CONTRACTS.md §3), so a replayed request is refused by every
-- instance. A nonce is needed only until its timestamp leaves the allowed skew window (expires_at): after
-- that the timestamp check refuses the request anyway, and the row is purged.
create table webhook_receipt_nonce (
    webhook_id varchar(64) not null,
    nonce      varchar(64) not null,
    expires_at timestamp with time zone not null,
    primary key (webhook_id, nonce)
);
create index webhook_receipt_nonce_expiry on webhook_receipt_nonce (expires_at);
