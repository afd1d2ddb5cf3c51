-- the usage ledger as warehouse-jobs' UsageLedger creates it, 10 million rows: 40 extracts of 250,000 persons each,
-- drawn from 5 million distinct warehouse pseudonyms (every person in 2 extracts on average), appended extract by extract
create table person_usage (
  person bigint not null, project text not null, extract_id text not null, purpose text not null, used_on date not null,
  primary key (person, extract_id));
alter table person_usage add column warehouse_key_version integer;
-- the keys after the load (much faster than maintaining them row by row); the same keys UsageLedger creates
alter table person_usage drop constraint person_usage_pkey;
insert into person_usage (person, project, extract_id, purpose, used_on, warehouse_key_version)
select 10000000000 + ((i::bigint * 7919 + e::bigint * 104729) % 5000000), 'PRJ-BENCH-' || e, 'EX-BENCH-' || lpad(e::text, 3, '0'),
       case when e % 3 = 0 then 'government-statistics' else 'academic-research' end, date '2026-01-01' + e, 1
from generate_series(1, 40) e, generate_series(0, 249999) i;
alter table person_usage add primary key (person, extract_id);
create index person_usage_by_person on person_usage (person);
vacuum analyze person_usage;
select count(*), count(distinct person) from person_usage;
