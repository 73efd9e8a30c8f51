{{ config(tags=['daily']) }}
-- One row per delivered life-event row with the facts the population rules read (the event, its file's day,
-- the snapshot record it concerns, the reference units) and one column per rule of _population__checks.yml.
{% set as_of = as_of_date() %}

with
    events as (select * from {{ ref('stg_population__life_events') }}),

    residents as (
        select
            record_id,
            min(birth_date) as birth_date,
            bool_and(
                birth_date
                between cast('1900-01-01' as date) and least({{ as_of }}, coalesce(updated_on, {{ as_of }}))
            ) as has_plausible_birth_date
        from {{ ref('stg_population__residents') }}
        where record_id is not null
        group by record_id
    ),

    communes as (select commune_code, district_code from {{ ref('stg_reference__legacy_communes') }}),

    moves as (
        select distinct record_id, event_date, event_type
        from events
        where event_type in ('move_out', 'move_in') and record_id is not null
    ),

    -- the repeats of an event id and the copies of an event: ranked over the keys and each row's identity
    -- (_source_file, _source_row, one delivered row) only, then joined back, so that the windows do not carry
    -- the whole row through their sorts
    occurrences as (
        select
            _source_file,
            _source_row,
            row_number() over (
                partition by event_id order by _source_file, _source_row
            ) as event_id_occurrence,
            row_number() over (
                partition by event_fingerprint_loose order by event_id, _source_file, _source_row
            ) as same_event_occurrence
        -- the keys picked out first: the windows above a scan of the whole `events` would carry all its
        -- columns
        from (select event_id, event_fingerprint_loose, _source_file, _source_row from events) as keys
    ),

    prepared as (
        select
            coalesce(
                e.event_id, 'row:' || e._source_file || ':' || cast(e._source_row as varchar)
            ) as record_key,
            e.*,
            {{ as_of }} as as_of,
            c.district_code,
            cast(null as varchar) as agency_code,
            cast(null as varchar) as operator,
            c.commune_code is not null as is_commune_known,
            oc.commune_code is not null as is_other_commune_known,
            r.record_id is not null as is_record_in_snapshot,
            r.birth_date as record_birth_date,
            coalesce(r.has_plausible_birth_date, false) as record_has_plausible_birth_date,
            m.record_id is not null as has_move_counterpart,
            o.event_id_occurrence,
            o.same_event_occurrence
        from events as e
        left join communes as c on c.commune_code = e.commune_code
        left join communes as oc on oc.commune_code = e.other_commune_code
        left join residents as r on r.record_id = e.record_id
        left join
            moves as m
            on m.record_id = e.record_id
            and m.event_date = e.event_date
            and m.event_type
            = case e.event_type when 'move_out' then 'move_in' when 'move_in' then 'move_out' end
        left join occurrences as o on o._source_file = e._source_file and o._source_row = e._source_row
    )

select prepared.* {{ quality_rule_columns() }}
from prepared
