-- The version of the JOURNEY_PLAN record last published for a started journey (the outbox's version for
-- subject <org>/<journey>): the engine acknowledges a plan by this version.
alter table journey add column plan_version bigint;
