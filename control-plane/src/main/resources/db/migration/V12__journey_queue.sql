-- The per-organization running limit (qa.journeys.max-running-per-org). A journey started while its organization
-- already holds that many plans in the engine waits PENDING with queued_at set — when its start (or resume) was
-- asked, the order of the queue — and no plan published; the oldest goes when a place frees. status_reason says
-- why a journey is where it is: queued, or FAILED (the engine's reason, or what kept a queued journey from starting).
alter table journey add column queued_at timestamp with time zone;
alter table journey add column status_reason text;
create index journey_queue on journey (organization_id, queued_at);
