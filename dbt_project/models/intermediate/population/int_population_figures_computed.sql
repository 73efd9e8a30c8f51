-- One row per population indicator of docs/contracts/population.md, computed from the population marts as of
-- var('as_of_date'): population_records_digitised and population_digitised_pct.
{% set as_of = as_of_date() %}

with
    residents as (select * from {{ ref('fct_residents') }}),

    events as (select * from {{ ref('fct_life_events') }}),

    records as (select count(*) as records_digitised from residents where is_counted_resident),

    -- records that arrived (birth, move in), have no death, and have no snapshot row: registered but not
    -- digitised
    unrecorded as (
        select count(distinct e.record_id) as unrecorded_records
        from events as e
        where
            e.event_type in ('birth', 'move_in')
            and e.record_id
            not in (select record_id from events where event_type = 'death' and record_id is not null)
            and e.record_id not in (select record_id from residents where record_id is not null)
    ),

    figures as (
        select
            'population_records_digitised' as indicator_id, cast(records.records_digitised as double) as value
        from records
        union all
        select
            'population_digitised_pct',
            case
                when records.records_digitised + unrecorded.unrecorded_records > 0
                then
                    100.0
                    * records.records_digitised
                    / (records.records_digitised + unrecorded.unrecorded_records)
            end
        from records
        cross join unrecorded
    )

select
    cast(indicator_id as {{ dbt.type_string() }}) as indicator_id,
    cast(value as double) as value,
    {{ as_of }} as as_of
from figures
