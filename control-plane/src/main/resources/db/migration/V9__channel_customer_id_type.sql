-- The ID type of the customerId a channel's events carry (ChannelDefinition.customerIdType); null = ONEID.
alter table event_channel add column customer_id_type varchar(32);
