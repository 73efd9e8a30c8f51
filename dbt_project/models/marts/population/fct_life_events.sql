{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_window_days('event_date') }}",
        tags=['daily']
    )
}}
-- One row per delivered life event of the register (births, deaths, moves, corrections), copies included and
-- flagged. Incremental on the event date: a run loads the events of its window (daily_window.sql); a full
-- build loads every event. Copies of an event share its date, so a window of whole days finds them all. Tagged
-- `daily`: Dagster runs it as the daily-partitioned fact and passes the partition window.

with events as (
    select * from {{ ref('stg_population__life_events') }}
    {% if is_incremental() %}
    where {{ in_daily_window('event_date') }}
    {% endif %}
),

admin_units as (
    select * from {{ ref('dim_admin_unit') }}
    where unit_level = 'commune'
),

dates as (
    select * from {{ ref('dim_date') }}
),

flagged as (
    select
        events.*,
        -- rule 11: among events equal in every column but the event id, all but the smallest event id
        row_number() over (partition by event_fingerprint order by event_id) > 1 as is_duplicate_event
    from events
),

final as (
    select
        f.event_id,
        coalesce(d.date_key, -1) as event_date_key,
        f.event_date,
        f.event_type,
        f.record_id,
        f.person_pseudonym,
        coalesce(u.admin_unit_key, -1) as admin_unit_key,
        coalesce(o.admin_unit_key, -1) as other_admin_unit_key,
        f.commune_code,
        f.other_commune_code,
        f.corrected_field,
        f.is_duplicate_event
    from flagged as f
    left join dates as d on d.date_day = f.event_date
    left join admin_units as u
        on u.unit_code = f.commune_code
        and {{ admin_unit_valid_on('u', "f.event_date") }}
    left join admin_units as o
        on o.unit_code = f.other_commune_code
        and {{ admin_unit_valid_on('o', "f.event_date") }}
)

select * from final
