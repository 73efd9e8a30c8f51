{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_life_events_checked_again() }}",
        tags=['daily']
    )
}}
-- One row per delivered life event of the register (births, deaths, moves, corrections), copies included and
-- flagged (the quality rules of checks/population). Incremental: a run loads again the events
-- chk_population__events checked in the same dbt run (the events of the window's files and those sharing an
-- id, a fingerprint or a record with them: an event delivered days after its date is loaded on the day of its
-- file) and the events without an id; its pre-hook deletes those and the events no longer delivered. A full
-- build loads every event. Tagged `daily`: Dagster runs it as the daily-partitioned fact and passes the
-- partition window.
with
    events as (
        select *
        from {{ ref('chk_population__events') }}
        -- one row per event id: the repeats of an id (rule population.event_id_duplicated) stay in dq.*
        where
            not coalesce(event_id_duplicated, false)
            {% if is_incremental() %}
                and (_checked_by_invocation = '{{ invocation_id }}' or event_id is null)
            {% endif %}
    ),

    admin_units as (select * from {{ ref('dim_admin_unit') }} where unit_level = 'commune'),

    dates as (select * from {{ ref('dim_date') }}),

    flagged as (
        select
            events.*,
            -- rule population.duplicate_event: a copy of an event with a smaller event id
            coalesce(events.duplicate_event, false) as is_duplicate_event,
            {{ quality_rules_failed('chk_population__events', 'events') }} as quality_rules_failed
        from events
    ),

    final as (
        select
            f.event_id,
            coalesce(d.date_key, -1) as event_date_key,
            f.event_date,
            -- an event whose type is missing or not in the list (rules population.event_type_missing,
            -- population.event_type_out_of_list) is kept as 'unknown'
            coalesce(f.event_type, 'unknown') as event_type,
            f.record_id,
            f.person_pseudonym,
            coalesce(u.admin_unit_key, -1) as admin_unit_key,
            coalesce(o.admin_unit_key, -1) as other_admin_unit_key,
            f.commune_code,
            f.other_commune_code,
            f.corrected_field,
            f.is_duplicate_event,
            f.quality_rules_failed
        from flagged as f
        left join dates as d on d.date_day = f.event_date
        left join
            admin_units as u
            on u.unit_code = f.commune_code
            and {{ admin_unit_valid_on('u', "f.event_date") }}
        left join
            admin_units as o
            on o.unit_code = f.other_commune_code
            and {{ admin_unit_valid_on('o', "f.event_date") }}
    )

select *
from final
