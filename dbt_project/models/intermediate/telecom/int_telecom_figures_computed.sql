-- One row per telecom indicator of kpi_targets.csv derivable from the BTS feed alone, computed from the marts
-- with the formulas of docs/contracts/bts.md: bts_stations = live stations; bts_sites = distinct register
-- sites of live stations.
with
    stations as (select * from {{ ref('fct_stations') }}),

    figures as (
        select 'bts_stations' as indicator_id, count(*) as value
        from stations

        union all

        select
            'bts_sites' as indicator_id, count(distinct case when site_key <> -1 then site_key end) as value
        from stations
    )

select
    cast(indicator_id as {{ dbt.type_string() }}) as indicator_id,
    cast(value as double) as value,
    {{ as_of_date() }} as as_of
from figures
