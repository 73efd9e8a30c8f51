-- One row per live station (docs/contracts/bts.md rules 2-4): one operator's base station of one radio
-- technology with a valid cell seen in the 365 days before the as-of instant; count(*) = bts_stations.
with
    stations as (select * from {{ ref('int_bts_stations_derived') }} where is_live),

    operators as (select * from {{ ref('dim_operator') }}),

    technologies as (select * from {{ ref('dim_radio_technology') }}),

    sites as (select * from {{ ref('dim_bts_site') }})

select
    cast(stations.station_id as {{ dbt.type_string() }}) as station_id,
    cast(coalesce(operators.operator_key, -1) as integer) as operator_key,
    cast(coalesce(technologies.radio_technology_key, -1) as integer) as radio_technology_key,
    cast(coalesce(sites.site_key, -1) as integer) as site_key,
    cast(coalesce(sites.admin_unit_key, -1) as integer) as admin_unit_key,
    cast(stations.base_station_id as {{ dbt.type_string() }}) as base_station_id,
    cast(stations.cells_count as integer) as cells_count,
    cast({{ date_key('stations.first_seen_date') }} as integer) as first_seen_date_key,
    cast({{ date_key('stations.last_seen_date') }} as integer) as last_seen_date_key
from stations
left join operators on operators.mcc = stations.mcc and operators.net_code = stations.net
left join technologies on technologies.radio_code = stations.radio
left join sites on sites.site_id = stations.site_id
